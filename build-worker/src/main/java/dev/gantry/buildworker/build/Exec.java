package dev.gantry.buildworker.build;

import dev.gantry.buildworker.process.Command;
import dev.gantry.buildworker.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a build's programs: output into the build log, the build's deadline, and one kill switch for
 * cancellation. A failure becomes a {@link StageFailure} naming the stage; a kill becomes {@link
 * Cancelled}.
 */
final class Exec {
  private final ProcessRunner runner;
  private final BuildLog log;
  private final Instant deadline;
  private final Duration timeout;
  private final Path pgidFile;
  private final Supplier<String> cancelReason;

  Exec(
      ProcessRunner runner,
      BuildLog log,
      Instant deadline,
      Duration timeout,
      Path pgidFile,
      Supplier<String> cancelReason) {
    this.runner = runner;
    this.log = log;
    this.deadline = deadline;
    this.timeout = timeout;
    this.pgidFile = pgidFile;
    this.cancelReason = cancelReason;
  }

  /** Runs a command whose output goes to the log. */
  void run(String stage, Command command) throws StageFailure, Cancelled {
    run(stage, command, null, false);
  }

  /** Runs a command and returns its output, which also goes to the log unless {@code quiet}. */
  String capture(String stage, Command command, boolean quiet) throws StageFailure, Cancelled {
    StringBuilder out = new StringBuilder();
    run(stage, command, out, quiet);
    return out.toString();
  }

  /** Runs a command and tells whether it exited 0; its output is dropped. */
  boolean succeeds(Command command) throws Cancelled, StageFailure {
    ProcessRunner.Result result = start("check", command, line -> {}, null);
    return result.ok();
  }

  /**
   * Runs a command whose output is read, not logged: each line goes to {@code lines}, which decides
   * what to keep, so a huge output costs no memory. The command line is logged.
   *
   * @param limit the longest it may take, well inside the build's own limit
   */
  void read(String stage, Command command, Duration limit, Consumer<String> lines)
      throws StageFailure, Cancelled {
    log.line("$ " + command.display());
    ProcessRunner.Result result = start(stage, command, lines, limit);
    if (!result.ok()) {
      throw new StageFailure(
          stage, result.exitCode(), what(command) + " failed with exit code " + result.exitCode());
    }
  }

  private void run(String stage, Command command, StringBuilder capture, boolean quiet)
      throws StageFailure, Cancelled {
    if (!quiet) {
      log.line("$ " + command.display());
    }
    ProcessRunner.Result result =
        start(
            stage,
            command,
            line -> {
              if (capture != null) {
                capture.append(line).append('\n');
              }
              if (!quiet) {
                log.line(line);
              }
            },
            null);
    if (!result.ok()) {
      throw new StageFailure(
          stage, result.exitCode(), what(command) + " failed with exit code " + result.exitCode());
    }
  }

  /** The program and its first argument: {@code go build}, {@code git fetch}. */
  private static String what(Command command) {
    List<String> argv = command.argv();
    return argv.size() > 1 ? argv.get(0).replaceAll(".*/", "") + " " + argv.get(1) : argv.get(0);
  }

  private ProcessRunner.Result start(
      String stage, Command command, Consumer<String> lines, Duration limit)
      throws Cancelled, StageFailure {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw timedOut(stage);
    }
    boolean ownLimit = limit != null && limit.compareTo(left) < 0;
    ProcessRunner.Result result;
    try {
      result = runner.run(command, ownLimit ? limit : left, lines, pgidFile);
    } catch (IOException e) {
      throw new StageFailure(
          stage, null, "cannot start " + command.argv().get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled("the worker is shutting down");
    }
    if (result.killed()) {
      throw new Cancelled(cancelReason.get());
    }
    if (result.timedOut() && ownLimit) {
      throw new StageFailure(
          stage,
          null,
          "timed out: "
              + what(command)
              + " ran longer than "
              + limit.toSeconds()
              + " s and was stopped");
    }
    if (result.timedOut()) {
      throw timedOut(stage);
    }
    return result;
  }

  StageFailure timedOut(String stage) {
    return new StageFailure(
        stage,
        null,
        "timed out: the build ran longer than the limit of "
            + timeout.toSeconds()
            + " s (gantry.worker.build-timeout) and was stopped during "
            + stage);
  }
}

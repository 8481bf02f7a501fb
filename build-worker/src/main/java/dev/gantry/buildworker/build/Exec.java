package dev.gantry.buildworker.build;

import dev.gantry.buildworker.process.Command;
import dev.gantry.buildworker.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    ProcessRunner.Result result = start("check", command, line -> {});
    return result.ok();
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
            });
    if (!result.ok()) {
      List<String> argv = command.argv();
      String what =
          argv.size() > 1 ? argv.get(0).replaceAll(".*/", "") + " " + argv.get(1) : argv.get(0);
      throw new StageFailure(
          stage, result.exitCode(), what + " failed with exit code " + result.exitCode());
    }
  }

  private ProcessRunner.Result start(
      String stage, Command command, java.util.function.Consumer<String> lines)
      throws Cancelled, StageFailure {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw timedOut(stage);
    }
    ProcessRunner.Result result;
    try {
      result = runner.run(command, left, lines, pgidFile);
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

package dev.gantry.buildworker.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs a program in its own session and process group ({@code setsid}), so that cancelling a build
 * stops the go command and every compiler, linker and test binary it started: SIGTERM to the group,
 * SIGKILL after a grace period.
 */
public final class ProcessRunner {
  private static final Logger LOG = Logger.getLogger(ProcessRunner.class);

  /** How a run ended. */
  public record Result(int exitCode, boolean timedOut, boolean killed) {
    public boolean ok() {
      return exitCode == 0 && !timedOut && !killed;
    }
  }

  private final Duration killGrace;
  private volatile Process current;
  private volatile boolean killRequested;

  public ProcessRunner(Duration killGrace) {
    this.killGrace = killGrace;
  }

  /**
   * Runs {@code command} until it exits, {@code timeout} passes, or {@link #kill()} is called,
   * sending each output line (stdout and stderr merged) to {@code lines}. {@code pgidFile}, if
   * given, receives the group id while the process runs, so a restarted worker can stop what a
   * killed one left behind.
   */
  public Result run(Command command, Duration timeout, Consumer<String> lines, Path pgidFile)
      throws IOException, InterruptedException {
    if (killRequested) {
      return new Result(-1, false, true);
    }
    List<String> argv = new ArrayList<>();
    argv.add("setsid");
    argv.addAll(command.argv());
    ProcessBuilder pb = new ProcessBuilder(argv).directory(command.dir().toFile());
    pb.environment().clear();
    pb.environment().putAll(command.env());
    pb.redirectErrorStream(true);
    Process process = pb.start();
    current = process;
    if (killRequested) {
      stopGroup(process); // kill() ran between the check above and here
    }
    if (pgidFile != null) {
      Files.writeString(pgidFile, Long.toString(process.pid()));
    }
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.accept(line);
                }
              } catch (IOException e) {
                lines.accept("[gantry] output lost: " + e.getMessage());
              }
            },
            "output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    boolean timedOut = false;
    try {
      if (!process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
        timedOut = !killRequested;
        stopGroup(process);
      }
      process.waitFor();
      // the group is gone or stopped: the pipe closes once the last member exits
      pump.join(killGrace.toMillis() + 5_000);
    } catch (InterruptedException e) {
      stopGroup(process);
      throw e;
    } finally {
      current = null;
      if (pgidFile != null) {
        Files.deleteIfExists(pgidFile);
      }
    }
    return new Result(process.exitValue(), timedOut, killRequested);
  }

  /** Stops the running program's whole process group, and any program started afterwards. */
  public void kill() {
    killRequested = true;
    Process process = current;
    if (process != null) {
      stopGroup(process);
    }
  }

  public boolean killRequested() {
    return killRequested;
  }

  private void stopGroup(Process process) {
    long pgid = process.pid();
    signalGroup(pgid, "TERM");
    try {
      if (!process.waitFor(killGrace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.debugf("process group %d ignored SIGTERM for %s", pgid, killGrace);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // children may outlive the leader: the group is killed either way
    signalGroup(pgid, "KILL");
  }

  /** Sends {@code signal} to every process of group {@code pgid}; quiet when none is left. */
  public static void signalGroup(long pgid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no kill(1): fall back to the processes we can see
      ProcessHandle.of(pgid)
          .ifPresent(
              p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
              });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.gantry.buildworker;

import static org.awaitility.Awaitility.await;

import dev.gantry.buildworker.domain.WorkerSettings;
import dev.gantry.buildworker.messaging.WorkerEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A worker in a JVM of its own, so that a test can kill it with SIGKILL mid-build as an operator's
 * host or the kernel's OOM killer would.
 */
public final class ChildWorker {
  private ChildWorker() {}

  /** Starts a worker JVM for {@code settings}; returns once the worker consumes. */
  static Process start(WorkerSettings s, Path logFile) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.add("-Xmx256m");
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(ChildWorker.class.getName());
    argv.addAll(
        List.of(
            s.workerId(),
            s.bootstrapServers(),
            s.requestsTopic(),
            s.groupId(),
            s.sharedRoot().toString(),
            s.localDir().toString(),
            s.goBinary(),
            s.upstreamProxy()));
    Files.createDirectories(logFile.getParent());
    Process p =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    try {
      await("the child worker's start")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> started(p, logFile));
    } catch (ConditionTimeoutException e) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "the child worker did not start: " + Files.readString(logFile));
    }
    return p;
  }

  /** True once the child says it is ready; fails at once if it exited instead. */
  private static boolean started(Process p, Path logFile) throws IOException {
    if (!p.isAlive()) {
      throw new IllegalStateException(
          "the child worker exited with " + p.exitValue() + ": " + Files.readString(logFile));
    }
    return Files.readString(logFile).contains("CHILD WORKER READY");
  }

  public static void main(String[] args) throws Exception {
    WorkerSettings settings =
        Workers.settings(
            args[0],
            args[1],
            args[2],
            args[3],
            Path.of(args[4]),
            Path.of(args[5]),
            args[6],
            args[7]);
    WorkerEngine engine = WorkerEngine.start(settings, new SimpleMeterRegistry());
    System.out.println("CHILD WORKER READY " + engine.settings().workerId());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}

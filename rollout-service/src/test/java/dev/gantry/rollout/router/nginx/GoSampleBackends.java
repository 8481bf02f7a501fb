package dev.gantry.rollout.router.nginx;

import static org.awaitility.Awaitility.await;

import dev.gantry.rollout.router.Backend;
import dev.gantry.rollout.router.Cancellation;
import dev.gantry.rollout.router.LocalBackends;
import dev.gantry.rollout.router.RouterException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A stand-in for rollout-service's own {@link LocalBackends}: runs the built Go samples below
 * {@code root} as child processes on free loopback ports and waits for their health endpoint.
 */
final class GoSampleBackends implements LocalBackends, AutoCloseable {
  private final Path root;
  private final Map<String, Map<String, Running>> apps = new ConcurrentHashMap<>();
  private final AtomicInteger starts = new AtomicInteger();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private record Running(Process process, RunningBackend backend) {}

  GoSampleBackends(Path root) {
    this.root = root;
  }

  @Override
  public synchronized RunningBackend ensureRunning(
      String app, Backend backend, String healthPath, Cancellation cancellation) {
    Map<String, Running> versions = apps.computeIfAbsent(app, a -> new ConcurrentHashMap<>());
    Running running = versions.get(backend.version());
    if (running != null && running.process().isAlive()) {
      return running.backend();
    }
    int port = freePort();
    Process process;
    try {
      Path log = Files.createDirectories(root.resolve("logs")).resolve(app + "-" + port + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(root.resolve(backend.artifact()).toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("PORT", Integer.toString(port));
      process = builder.start();
    } catch (IOException e) {
      throw new RouterException("could not start " + backend.artifact(), e);
    }
    starts.incrementAndGet();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .ignoreExceptions()
          .until(() -> healthy(port, healthPath));
    } catch (ConditionTimeoutException e) {
      process.destroyForcibly();
      throw new RouterException(app + " " + backend.version() + " did not become healthy", e);
    }
    RunningBackend started =
        new RunningBackend(backend.version(), "127.0.0.1", port, process.pid());
    versions.put(backend.version(), new Running(process, started));
    return started;
  }

  @Override
  public synchronized void retain(String app, Set<String> keep) {
    Map<String, Running> versions = apps.getOrDefault(app, Map.of());
    versions
        .entrySet()
        .removeIf(
            e -> {
              if (keep.contains(e.getKey())) {
                return false;
              }
              stop(e.getValue().process());
              return true;
            });
  }

  /** The versions of {@code app} whose processes are alive. */
  synchronized Set<String> running(String app) {
    Set<String> alive = new TreeSet<>();
    apps.getOrDefault(app, Map.of())
        .forEach(
            (version, running) -> {
              if (running.process().isAlive()) {
                alive.add(version);
              }
            });
    return alive;
  }

  /** How many processes were started, for tests that want none. */
  int starts() {
    return starts.get();
  }

  @Override
  public synchronized void close() {
    apps.values().forEach(versions -> versions.values().forEach(r -> stop(r.process())));
    apps.clear();
  }

  private boolean healthy(int port, String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofMillis(500))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.gantry.rollout.router.local;

import dev.gantry.events.id.AppName;
import dev.gantry.events.id.Version;
import dev.gantry.rollout.router.Backend;
import dev.gantry.rollout.router.Cancellation;
import dev.gantry.rollout.router.LocalBackends;
import dev.gantry.rollout.router.RouterException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs app versions as child processes on loopback, from the binaries under the shared root.
 *
 * <p>Each child's pid and port are written to {@code <stateDir>/<app>/<version>.child}, so that a
 * rollout-service that was killed adopts the children it left behind instead of starting a second
 * copy. A child that exits unasked is reported and, after a back-off that grows with each crash,
 * handed to {@code onCrash} so that the app's route is applied again (which starts it anew). It is
 * started on the port it had when the port is still free, so the targets already announced for
 * monitor-service stay right, and each restart is counted and handed to {@code onRestart}. Children
 * are stopped when no route needs them and when {@link #close()} is called.
 *
 * <p>One lock per app: one app's version that takes its time to become healthy holds up no other
 * app, and its wait gives way when the caller's {@link Cancellation} says so.
 */
public final class ProcessBackends implements LocalBackends, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ProcessBackends.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Path sharedRoot;
  private final Path stateDir;
  private final Duration healthTimeout;
  private final Consumer<String> onCrash;
  private final Consumer<Restart> onRestart;

  /** The port each crashed child had, by app and version, until it is started again. */
  private final Map<String, Integer> crashedPorts = new ConcurrentHashMap<>();

  private final Map<String, Map<String, Restart>> restarted = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final Map<String, Map<String, Child>> children = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> crashes = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final ScheduledExecutorService restarts =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "local-router-restarts");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;

  public ProcessBackends(
      Path sharedRoot,
      Path stateDir,
      Duration healthTimeout,
      Consumer<String> onCrash,
      Consumer<Restart> onRestart) {
    this.sharedRoot = sharedRoot.toAbsolutePath().normalize();
    this.stateDir = stateDir.toAbsolutePath().normalize();
    this.healthTimeout = healthTimeout;
    this.onCrash = onCrash;
    this.onRestart = onRestart;
  }

  /**
   * A child started again after it crashed.
   *
   * @param count how often this version of the app was started again by this instance
   * @param samePort false when its old port was taken and the targets announced for it are stale
   */
  public record Restart(
      String app, String version, long pid, int port, boolean samePort, int count, Instant at) {}

  @Override
  public RunningBackend ensureRunning(
      String app, Backend backend, String healthPath, Cancellation cancellation) {
    // both become file names under the state folder
    requireSafe("app", AppName.isValid(app), app);
    requireSafe("version", Version.isValid(backend.version()), backend.version());
    synchronized (lock(app)) {
      return ensureRunningLocked(app, backend, healthPath, cancellation);
    }
  }

  private Object lock(String app) {
    return locks.computeIfAbsent(app, a -> new Object());
  }

  private RunningBackend ensureRunningLocked(
      String app, Backend backend, String healthPath, Cancellation cancellation) {
    Map<String, Child> ofApp = children.computeIfAbsent(app, a -> new ConcurrentHashMap<>());
    Child running = ofApp.get(backend.version());
    if (running != null && running.process().isAlive()) {
      return running.running(backend.version());
    }
    Path binary = binary(backend);
    Optional<Child> adopted = adopt(app, backend.version(), binary, healthPath);
    if (adopted.isPresent()) {
      ofApp.put(backend.version(), adopted.get());
      watch(app, backend.version(), adopted.get());
      LOG.infof(
          "adopted %s %s: pid %d on port %d",
          app, backend.version(), adopted.get().process().pid(), adopted.get().port());
      return adopted.get().running(backend.version());
    }
    Child started = startOrRestart(app, backend.version(), binary, healthPath, cancellation);
    ofApp.put(backend.version(), started);
    watch(app, backend.version(), started);
    return started.running(backend.version());
  }

  @Override
  public void retain(String app, Set<String> versions) {
    synchronized (lock(app)) {
      retainLocked(app, versions);
    }
  }

  private void retainLocked(String app, Set<String> versions) {
    Map<String, Child> ofApp = children.getOrDefault(app, Map.of());
    // a crashed version no longer routed is not restarted; routed again later, it simply starts
    crashedPorts
        .keySet()
        .removeIf(
            k -> k.startsWith(app + " ") && !versions.contains(k.substring(app.length() + 1)));
    for (String version : List.copyOf(ofApp.keySet())) {
      if (!versions.contains(version)) {
        Child child = ofApp.remove(version);
        stop(app, version, child);
      }
    }
  }

  /** Pids of the app's children by version, for status pages and tests. */
  public Map<String, Long> pids(String app) {
    Map<String, Long> pids = new java.util.TreeMap<>();
    children.getOrDefault(app, Map.of()).forEach((v, c) -> pids.put(v, c.process().pid()));
    return pids;
  }

  /** The restarts of the app's crashed children by version, the latest of each. */
  public Map<String, Restart> restarts(String app) {
    return Map.copyOf(restarted.getOrDefault(app, Map.of()));
  }

  /** Stops every child: the service is going away; a start still waiting gives way first. */
  @Override
  public void close() {
    closed = true;
    restarts.shutdownNow();
    for (String app : List.copyOf(children.keySet())) {
      retain(app, Set.of());
    }
  }

  private Path binary(Backend backend) {
    Path binary = sharedRoot.resolve(backend.artifact()).normalize();
    if (!binary.startsWith(sharedRoot.resolve("artifacts"))) {
      throw new RouterException(
          "artifact " + backend.artifact() + " is not under the shared root's artifacts/");
    }
    if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
      throw new RouterException("no executable binary at " + binary);
    }
    return binary;
  }

  private Child startOrRestart(
      String app, String version, Path binary, String healthPath, Cancellation cancellation) {
    Integer crashedOn = crashedPorts.get(app + " " + version);
    if (crashedOn == null) {
      return start(app, version, binary, healthPath, 0, cancellation);
    }
    Child child = start(app, version, binary, healthPath, portIfFree(crashedOn), cancellation);
    // only now: a restart that failed is still a restart when the next attempt succeeds
    crashedPorts.remove(app + " " + version);
    boolean samePort = child.port() == crashedOn;
    Restart restart =
        restarted
            .computeIfAbsent(app, a -> new ConcurrentHashMap<>())
            .merge(
                version,
                new Restart(
                    app, version, child.process().pid(), child.port(), samePort, 1, Instant.now()),
                (old, now) ->
                    new Restart(
                        app, version, now.pid(), now.port(), samePort, old.count() + 1, now.at()));
    if (samePort) {
      LOG.warnf(
          "restarted %s %s after a crash: pid %d on its port %d (restart %d)",
          app, version, child.process().pid(), child.port(), restart.count());
    } else {
      LOG.warnf(
          "restarted %s %s after a crash on port %d, not its old port %d, which is taken: the"
              + " targets announced to monitor-service for it are stale until its next step"
              + " (restart %d)",
          app, version, child.port(), crashedOn, restart.count());
    }
    onRestart.accept(restart);
    return child;
  }

  /** The port, or 0 (any) when something else listens on it now. */
  private static int portIfFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return port;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * @param wantedPort 0 for any free port
   */
  private Child start(
      String app,
      String version,
      Path binary,
      String healthPath,
      int wantedPort,
      Cancellation cancellation) {
    Path dir = stateDir.resolve(app);
    int port;
    Process process;
    try {
      Files.createDirectories(dir);
      port = wantedPort == 0 ? freePort() : wantedPort;
      ProcessBuilder pb = new ProcessBuilder(binary.toString());
      Map<String, String> env = pb.environment();
      env.clear();
      env.put("PORT", Integer.toString(port));
      env.put("GANTRY_APP", app);
      env.put("GANTRY_VERSION", version);
      env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(version + ".log").toFile()));
      pb.directory(dir.toFile());
      process = pb.start();
    } catch (IOException e) {
      throw new RouterException(
          "could not start " + app + " " + version + ": " + e.getMessage(), e);
    }
    Child child = new Child(process.toHandle(), port, binary.toString());
    try {
      awaitHealthy(app, version, child, healthPath, healthTimeout, cancellation);
    } catch (RouterException e) {
      kill(child.process());
      if (e.isCancelled()) {
        LOG.infof("stopped %s %s before it was healthy: %s", app, version, e.getMessage());
      }
      throw e;
    }
    writeState(app, version, child);
    LOG.infof("started %s %s: pid %d on port %d", app, version, process.pid(), port);
    return child;
  }

  /** A child a previous rollout-service left: the same binary, still alive, still healthy. */
  private Optional<Child> adopt(String app, String version, Path binary, String healthPath) {
    Path state = stateFile(app, version);
    if (!Files.isRegularFile(state)) {
      return Optional.empty();
    }
    try {
      String[] fields = Files.readString(state, StandardCharsets.UTF_8).strip().split(" ", 3);
      long pid = Long.parseLong(fields[0]);
      int port = Integer.parseInt(fields[1]);
      Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (handle.isEmpty()
          || !handle.get().info().command().map(binary.toString()::equals).orElse(false)) {
        Files.deleteIfExists(state);
        return Optional.empty();
      }
      Child child = new Child(handle.get(), port, binary.toString());
      try {
        awaitHealthy(app, version, child, healthPath, Duration.ofSeconds(2), Cancellation.NONE);
      } catch (RouterException e) {
        LOG.warnf("%s %s (pid %d) left running does not answer; replacing it", app, version, pid);
        kill(handle.get());
        Files.deleteIfExists(state);
        return Optional.empty();
      }
      return Optional.of(child);
    } catch (IOException | RuntimeException e) {
      LOG.warnf("ignoring unreadable child state %s: %s", state, e.toString());
      return Optional.empty();
    }
  }

  private void awaitHealthy(
      String app,
      String version,
      Child child,
      String healthPath,
      Duration timeout,
      Cancellation cancellation) {
    URI health = URI.create("http://127.0.0.1:" + child.port() + healthPath);
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!child.process().isAlive()) {
        throw new RouterException(app + " " + version + " exited before it was healthy");
      }
      if (closed || cancellation.requested()) {
        throw RouterException.cancelled(
            closed
                ? "rollout-service is stopping"
                : "a newer state of " + app + " no longer needs " + version);
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 == 2) {
          return;
        }
        last = "HTTP " + response.statusCode();
      } catch (IOException e) {
        last = e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RouterException("interrupted while " + app + " " + version + " started", e);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RouterException("interrupted while " + app + " " + version + " started", e);
      }
    }
    throw new RouterException(
        app
            + " "
            + version
            + " was not healthy at "
            + healthPath
            + " within "
            + timeout.toSeconds()
            + " s (last: "
            + last
            + ")");
  }

  private void watch(String app, String version, Child child) {
    child
        .process()
        .onExit()
        .thenRun(
            () -> {
              Map<String, Child> ofApp = children.getOrDefault(app, Map.of());
              if (closed || !ofApp.remove(version, child)) {
                return; // stopped on purpose
              }
              int n =
                  crashes
                      .computeIfAbsent(app + " " + version, k -> new AtomicInteger())
                      .incrementAndGet();
              long delay = Math.min(30_000L, 250L << Math.min(n - 1, 7));
              crashedPorts.put(app + " " + version, child.port());
              LOG.warnf(
                  "%s %s (pid %d) exited unasked (crash %d); starting it again in %d ms",
                  app, version, child.process().pid(), n, delay);
              restarts.schedule(() -> onCrash.accept(app), delay, TimeUnit.MILLISECONDS);
            });
  }

  private void stop(String app, String version, Child child) {
    if (child == null) {
      return;
    }
    child.process().destroy();
    try {
      child.process().onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      kill(child.process());
    }
    try {
      Files.deleteIfExists(stateFile(app, version));
    } catch (IOException e) {
      LOG.warnf("could not remove %s: %s", stateFile(app, version), e.toString());
    }
    LOG.infof("stopped %s %s (pid %d)", app, version, child.process().pid());
  }

  private static void kill(ProcessHandle process) {
    process.destroyForcibly();
    try {
      process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warnf("pid %d did not exit after SIGKILL: %s", process.pid(), e.toString());
    }
  }

  private void writeState(String app, String version, Child child) {
    Path state = stateFile(app, version);
    Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, child.process().pid() + " " + child.port() + " " + child.binary());
      try {
        Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not record child " + app + " " + version, e);
    }
  }

  private Path stateFile(String app, String version) {
    return stateDir.resolve(app).resolve(version + ".child");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }

  private static void requireSafe(String what, boolean valid, String value) {
    if (!valid) {
      throw new RouterException(what + " is not safe for a file name: " + value);
    }
  }

  private record Child(ProcessHandle process, int port, String binary) {
    RunningBackend running(String version) {
      return new RunningBackend(version, "127.0.0.1", port, process.pid());
    }
  }
}

package dev.gantry.rollout.router.nginx;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.gantry.events.rollout.Target;
import dev.gantry.rollout.router.AppRoute;
import dev.gantry.rollout.router.Backend;
import dev.gantry.rollout.router.Cancellation;
import dev.gantry.rollout.router.LocalBackends;
import dev.gantry.rollout.router.LocalBackends.RunningBackend;
import dev.gantry.rollout.router.RouteState;
import dev.gantry.rollout.router.RouterException;
import dev.gantry.rollout.router.TrafficRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an app's versions on loopback through {@link LocalBackends} and puts nginx in front: one
 * {@code gantry-<app>.conf} per app in the configured folder, with a weighted upstream and a server
 * on the app's listen port. Each change is written atomically, checked with the test command and
 * loaded with the reload command; when either fails the previous file is put back and the weights
 * stay as they were.
 *
 * <p>{@code apply} returns once nginx answers {@value NginxConfig#ROUTE_PATH} on the app's port
 * with the new file's token. The old worker finishes its requests meanwhile and may still take a
 * few new connections for a moment. Every proxied response carries {@value
 * NginxConfig#WEIGHTS_HEADER} with the weights that served it.
 */
public final class NginxRouter implements TrafficRouter {
  private final LocalBackends backends;
  private final NginxRouterSettings settings;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  public NginxRouter(LocalBackends backends, NginxRouterSettings settings) {
    this.backends = Objects.requireNonNull(backends, "backends");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public String kind() {
    return "nginx";
  }

  /**
   * The versions start outside the lock, so that one app's slow start does not hold another app's
   * change; writing a file and reloading nginx, which every app shares, take one app at a time.
   */
  @Override
  public RouteState apply(AppRoute route, Cancellation cancellation) {
    String file = NginxConfig.fileName(route.app());
    if (route.stable() == null && route.canary() == null) {
      remove(route.app());
      return new RouteState(null, null);
    }
    if (route.listenPort() < 1 || route.listenPort() > 65535) {
      throw new RouterException(
          "app " + route.app() + " needs a listen port for nginx, was " + route.listenPort());
    }
    for (Backend backend : backends(route)) {
      NginxConfig.requireVersion(backend.version());
    }
    List<NginxConfig.Server> servers = new ArrayList<>();
    RunningBackend stable = start(route, route.stable(), cancellation);
    RunningBackend canary = start(route, route.canary(), cancellation);
    if (stable != null) {
      servers.add(new NginxConfig.Server("stable", stable, route.effectiveStableWeight()));
    }
    if (canary != null) {
      servers.add(new NginxConfig.Server("canary", canary, route.effectiveCanaryWeight()));
    }
    NginxConfig.Rendered config = NginxConfig.render(route.app(), route.listenPort(), servers);
    synchronized (this) {
      install(file, config.text(), () -> awaitServing(route.listenPort(), config.token()));
    }
    Set<String> versions = new HashSet<>();
    backends(route).forEach(b -> versions.add(b.version()));
    backends.retain(route.app(), versions);
    return new RouteState(target("stable", stable), target("canary", canary));
  }

  @Override
  public void remove(String app) {
    synchronized (this) {
      install(NginxConfig.fileName(app), null, () -> {});
    }
    backends.retain(app, Set.of());
  }

  private RunningBackend start(AppRoute route, Backend backend, Cancellation cancellation) {
    return backend == null
        ? null
        : backends.ensureRunning(route.app(), backend, route.healthPath(), cancellation);
  }

  private static List<Backend> backends(AppRoute route) {
    List<Backend> list = new ArrayList<>();
    if (route.stable() != null) {
      list.add(route.stable());
    }
    if (route.canary() != null) {
      list.add(route.canary());
    }
    return list;
  }

  private static Target target(String track, RunningBackend backend) {
    if (backend == null) {
      return null;
    }
    String base = backend.baseUrl();
    return new Target(
        track, backend.version(), base, base + "/debug/pprof", base + "/metrics", backend.host());
  }

  /**
   * Puts {@code content} (null: no file) in place, then tests and reloads nginx and waits for
   * {@code loaded}; on failure puts back what was there (and reloads it, if nginx was signalled).
   * Unchanged content is neither written nor reloaded.
   */
  private void install(String fileName, String content, Runnable loaded) {
    Path path = settings.confDir().resolve(fileName);
    try {
      String previous = Files.exists(path) ? Files.readString(path, UTF_8) : null;
      if (Objects.equals(previous, content)) {
        return;
      }
      put(path, content);
      boolean signalled = false;
      try {
        run(settings.testCommand(), "nginx configuration test");
        signalled = true;
        run(settings.reloadCommand(), "nginx reload");
        loaded.run();
      } catch (RouterException e) {
        put(path, previous);
        if (signalled) {
          // nginx may still load the new file after we gave up on it (it retries a busy port for
          // a while): one more reload makes it end on the file that is on disk
          try {
            run(settings.reloadCommand(), "nginx reload of the previous file");
          } catch (RouterException again) {
            e.addSuppressed(again);
          }
          // the file passed nginx's own test: the reload or nginx itself failed, not the route
          throw RouterException.transientFailure(e.getMessage(), e);
        }
        throw e;
      }
    } catch (IOException e) {
      throw RouterException.transientFailure("could not write " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * A reload is a signal: nginx starts new workers with the new file a moment later, or keeps the
   * old ones when it cannot (a port it cannot bind, say). Returns once the listen port answers with
   * the new file's token.
   */
  private void awaitServing(int listenPort, String token) {
    URI uri = URI.create("http://127.0.0.1:" + listenPort + NginxConfig.ROUTE_PATH);
    long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && token.equals(response.body().strip())) {
          return;
        }
        last = response.statusCode() + " " + response.body().strip();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RouterException("interrupted while nginx reloaded", e);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RouterException("interrupted while nginx reloaded", e);
      }
    }
    throw new RouterException(
        "nginx did not serve the new configuration on port "
            + listenPort
            + " within "
            + settings.commandTimeout()
            + " (last answer: "
            + last
            + "); see nginx's error log");
  }

  /**
   * Temp file, fsync, rename: nginx never reads half a file. The temp name does not end in {@code
   * .conf}, so a reload meanwhile does not include it.
   */
  private static void put(Path path, String content) throws IOException {
    if (content == null) {
      Files.deleteIfExists(path);
      return;
    }
    Path temp = path.resolveSibling("." + path.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(content.getBytes(UTF_8)));
      channel.force(true);
    }
    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void run(List<String> argv, String what) {
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new RouterException(
          what + " could not start " + argv.get(0) + ": " + e.getMessage(), e);
    }
    try {
      process.getOutputStream().close();
      CompletableFuture<String> output = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  output.complete(new String(process.getInputStream().readAllBytes(), UTF_8));
                } catch (IOException e) {
                  output.complete("(output unreadable: " + e.getMessage() + ")");
                }
              },
              "nginx-command-output");
      reader.setDaemon(true);
      reader.start();
      if (!process.waitFor(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new RouterException(what + " took longer than " + settings.commandTimeout());
      }
      reader.join(1000);
      if (process.exitValue() != 0) {
        throw new RouterException(
            what + " failed (exit " + process.exitValue() + "): " + output.getNow("").strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new RouterException(what + " interrupted", e);
    }
  }
}

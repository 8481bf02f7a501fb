package dev.gantry.rollout.router.local;

import dev.gantry.rollout.router.RouterException;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One weighted reverse proxy per app, on the app's port. A new split applies to the next request.
 *
 * <p>The split is exact, not random: of every 100 consecutive requests, {@code canaryWeight} go to
 * the canary, spread evenly, so a small sample already shows the configured share. Each answer
 * carries {@code X-Gantry-Track} and {@code X-Gantry-Version}, so a user can see which version
 * served it.
 */
public final class WeightedProxy implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WeightedProxy.class);
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private final Vertx vertx;
  private final HttpClient client;
  private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

  public WeightedProxy(Vertx vertx) {
    this.vertx = vertx;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000),
            new PoolOptions().setHttp1MaxSize(64));
  }

  /** A backend and its share of the traffic. */
  public record Upstream(String track, String version, String host, int port, int weight) {}

  /** The app's split from now on; starts its listener on {@code port} the first time. */
  public void route(String app, int port, Upstream stable, Upstream canary) {
    Listener listener = listeners.get(app);
    if (listener != null && listener.port != port) {
      remove(app);
      listener = null;
    }
    if (listener == null) {
      listener = listen(app, port);
      listeners.put(app, listener);
    }
    listener.split = new Split(stable, canary);
  }

  /** The split the app's proxy uses now, or null when it has none. */
  public Split split(String app) {
    Listener listener = listeners.get(app);
    return listener == null ? null : listener.split;
  }

  public void remove(String app) {
    Listener listener = listeners.remove(app);
    if (listener != null) {
      for (HttpServer server : listener.servers) {
        await(server.close(), "stop the proxy of " + app);
      }
    }
  }

  @Override
  public void close() {
    listeners.keySet().forEach(this::remove);
    client.close();
  }

  private Listener listen(String app, int port) {
    Listener listener = new Listener();
    // one server per event loop on the same port: Vert.x spreads the connections across them
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    List<HttpServer> servers = new ArrayList<>();
    try {
      for (int i = 0; i < loops; i++) {
        HttpServer server =
            vertx.createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    // HTTP/1.1 to the apps, as nginx would: no cleartext HTTP/2 upgrade
                    .setHttp2ClearTextEnabled(false));
        server.requestHandler(request -> forward(listener, request));
        servers.add(server);
        await(server.listen(), "listen on 127.0.0.1:" + port + " for " + app);
      }
    } catch (RouterException e) {
      servers.forEach(HttpServer::close);
      // the port, not the version: another program may hold it, and may let go of it
      throw RouterException.transientFailure(
          "the proxy of " + app + " cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    listener.servers = List.copyOf(servers);
    listener.port = port;
    LOG.infof("proxy of %s listens on 127.0.0.1:%d", app, port);
    return listener;
  }

  private void forward(Listener listener, HttpServerRequest request) {
    Split split = listener.split;
    Upstream upstream = split == null ? null : split.pick();
    HttpServerResponse response = request.response();
    if (upstream == null) {
      response.setStatusCode(503).end("no version of this app is serving\n");
      return;
    }
    boolean hasBody =
        request.headers().contains(HttpHeaders.CONTENT_LENGTH)
            || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    if (hasBody) {
      request.pause(); // until the upstream request can take the body
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setHost(upstream.host())
            .setPort(upstream.port())
            .setURI(request.uri())
            .setTimeout(60_000);
    MultiMap headers = HttpHeaders.headers();
    copyHeaders(request.headers(), headers);
    headers.add("X-Forwarded-For", remote(request));
    options.setHeaders(headers);
    client
        .request(options)
        .compose(out -> hasBody ? out.send(request) : out.send())
        .onSuccess(
            in -> {
              response.setStatusCode(in.statusCode());
              copyHeaders(in.headers(), response.headers());
              response.putHeader("X-Gantry-Track", upstream.track());
              response.putHeader("X-Gantry-Version", upstream.version());
              response.send(in);
            })
        .onFailure(
            e -> {
              if (!response.headWritten()) {
                response.setStatusCode(502).end("upstream " + upstream.track() + " failed\n");
              } else {
                response.reset();
              }
            });
  }

  private static String remote(HttpServerRequest request) {
    return request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
  }

  private static void copyHeaders(MultiMap from, MultiMap to) {
    from.forEach(
        (name, value) -> {
          if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            to.add(name, value);
          }
        });
  }

  private static <T> T await(io.vertx.core.Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RouterException("interrupted: " + what, e);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new RouterException("could not " + what + ": " + cause.getMessage(), cause);
    }
  }

  private static final class Listener {
    volatile List<HttpServer> servers = List.of();
    volatile int port;
    volatile Split split;
  }

  /** Which upstream serves the next request: exact shares, evenly interleaved. */
  public static final class Split {
    private final Upstream stable;
    private final Upstream canary;
    private final AtomicLong counter = new AtomicLong();

    Split(Upstream stable, Upstream canary) {
      this.stable = stable;
      this.canary = canary;
    }

    public Upstream stable() {
      return stable;
    }

    public Upstream canary() {
      return canary;
    }

    Upstream pick() {
      int canaryWeight = canary == null ? 0 : canary.weight();
      if (stable == null || stable.weight() == 0) {
        return canaryWeight > 0 ? canary : null;
      }
      if (canaryWeight == 0) {
        return stable;
      }
      // request n goes to the canary when floor((n+1)*w/100) > floor(n*w/100)
      long n = counter.getAndIncrement() % 100;
      return (n + 1) * canaryWeight / 100 > n * canaryWeight / 100 ? canary : stable;
    }
  }
}

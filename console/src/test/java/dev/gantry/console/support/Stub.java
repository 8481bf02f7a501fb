package dev.gantry.console.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP server standing in for one service behind the console, for the cases the real
 * services cannot easily be made to show here (a service that is away, an id nobody has). The real
 * services behind the console are exercised by e2e's browser tests.
 */
public final class Stub implements AutoCloseable {
  /** What the console asked: the token it presented is part of what a test checks. */
  public record Call(String method, String path, String authorization, String lastEventId) {}

  public record Reply(int status, String contentType, byte[] body) {
    public static Reply json(int status, String json) {
      return new Reply(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
  }

  @FunctionalInterface
  public interface Handler {
    Reply handle(Call call);
  }

  private final String name;
  private final Handler handler;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private int port;
  private HttpServer server;

  private Stub(String name, Handler handler) {
    this.name = name;
    this.handler = handler;
  }

  public static Stub start(String name, Handler handler) {
    Stub s = new Stub(name, handler);
    s.bind(0);
    return s;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public List<Call> calls() {
    return calls;
  }

  /** The service goes away: its port refuses connections until {@link #restart()}. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  public synchronized void restart() {
    if (server == null) {
      bind(port);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void bind(int wanted) {
    try {
      server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), wanted), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot bind port " + wanted, e);
    }
    port = server.getAddress().getPort();
    server.createContext(
        "/",
        exchange -> {
          Call call =
              new Call(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getRawPath()
                      + (exchange.getRequestURI().getRawQuery() == null
                          ? ""
                          : "?" + exchange.getRequestURI().getRawQuery()),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("Last-Event-ID"));
          calls.add(call);
          Reply reply;
          try {
            reply = handler.handle(call);
          } catch (RuntimeException e) {
            reply = Reply.json(500, "{\"title\":\"stub failed\"}");
          }
          exchange.getResponseHeaders().set("Content-Type", reply.contentType());
          exchange.sendResponseHeaders(
              reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
          }
        });
    server.start();
  }

  @Override
  public String toString() {
    return "Stub[" + name + " " + url() + "]";
  }
}

package dev.gantry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An on-call receiver on loopback: takes the Alertmanager-format webhooks (payload version 4) that
 * monitor-service sends, as a real receiver such as a chat bridge would, and keeps them.
 */
final class AlertInbox implements AutoCloseable {
  private static final int MAX_BODY = 1 << 20;

  record Received(Instant at, JsonNode payload) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private AlertInbox(HttpServer server) {
    this.server = server;
  }

  static AlertInbox listen(int port) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
      AlertInbox inbox = new AlertInbox(server);
      server.createContext(
          "/",
          exchange -> {
            int status = 202;
            try (InputStream in = exchange.getRequestBody()) {
              byte[] body = in.readNBytes(MAX_BODY + 1);
              if (!"POST".equals(exchange.getRequestMethod()) || body.length > MAX_BODY) {
                status = 400;
              } else {
                inbox.received.add(new Received(Instant.now(), Api.JSON.readTree(body)));
              }
            } catch (IOException e) {
              status = 400;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
          });
      server.start();
      return inbox;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot listen for alerts on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real nginx splits traffic by the weights a test writes, and takes new ones on reload. */
class NginxFixtureTest {
  @TempDir Path dir;

  @Test
  void shouldSplitTrafficByWeightAndFollowAReloadedUpstream() throws Exception {
    HttpServer stable = backend("stable");
    HttpServer canary = backend("canary");
    int port = Ports.free();
    try (NginxFixture nginx = NginxFixture.start(dir.resolve("nginx"))) {
      writeUpstream(nginx, port, stable, 3, canary, 1);
      nginx.reload();
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> count(port, 40).size() == 2);

      Map<String, Integer> split = count(port, 400);
      assertThat(split.get("canary")).isBetween(90, 110);
      assertThat(split.get("stable")).isBetween(290, 310);

      // the canary taken out: every request to stable once the new workers serve
      Files.writeString(
          nginx.confDir().resolve("app.conf"),
          config(port, stable, 1, canary, 0),
          StandardCharsets.UTF_8);
      nginx.reload();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> count(port, 50).getOrDefault("canary", 0) == 0);
      assertThat(nginx.running()).isTrue();
    } finally {
      stable.stop(0);
      canary.stop(0);
    }
  }

  @Test
  void shouldRefuseABrokenConfigurationAndKeepServing() throws Exception {
    try (NginxFixture nginx = NginxFixture.start(dir.resolve("nginx"))) {
      Files.writeString(nginx.confDir().resolve("broken.conf"), "upstream {\n");
      org.assertj.core.api.Assertions.assertThatThrownBy(nginx::reload)
          .hasMessageContaining("nginx -t failed");
      assertThat(nginx.running()).isTrue();
    }
  }

  static void writeUpstream(
      NginxFixture nginx, int port, HttpServer a, int wa, HttpServer b, int wb) throws Exception {
    Files.writeString(
        nginx.confDir().resolve("app.conf"), config(port, a, wa, b, wb), StandardCharsets.UTF_8);
  }

  static String config(int port, HttpServer a, int wa, HttpServer b, int wb) {
    return """
        upstream app {
          server 127.0.0.1:%d %s;
          server 127.0.0.1:%d %s;
        }
        server {
          listen 127.0.0.1:%d;
          location / { proxy_pass http://app; }
        }
        """
        .formatted(
            a.getAddress().getPort(),
            wa == 0 ? "down" : "weight=" + wa,
            b.getAddress().getPort(),
            wb == 0 ? "down" : "weight=" + wb,
            port);
  }

  static HttpServer backend(String name) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = name.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  static Map<String, Integer> count(int port, int requests) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      seen.merge(r.body(), 1, Integer::sum);
    }
    return seen;
  }
}

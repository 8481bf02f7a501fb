package dev.gantry.monitor.support;

import static org.awaitility.Awaitility.await;

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
import java.util.List;

/**
 * Debian's real Alertmanager ({@code prometheus-alertmanager}) on a free loopback port, with its
 * own storage and no cluster gossip, routing every alert to one webhook receiver, grouped by app.
 * Started once per JVM and stopped with it.
 */
public final class Alertmanager {
  static final String BINARY = "/usr/bin/prometheus-alertmanager";
  private static Alertmanager running;

  private final Process process;
  private final String url;

  private Alertmanager(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** The one Alertmanager of this JVM, started on first use with {@code receiverUrl}. */
  public static synchronized String start(String receiverUrl) {
    if (running == null) {
      running = launch(receiverUrl);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(running.process::destroy, "alertmanager-stop"));
    }
    return running.url;
  }

  private static Alertmanager launch(String receiverUrl) {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(
          BINARY
              + " is missing: install Debian's Alertmanager (apt-get install"
              + " prometheus-alertmanager); ./gantry test installs it");
    }
    try {
      Path dir = Files.createTempDirectory("gantry-alertmanager-");
      Path config = dir.resolve("alertmanager.yml");
      // one notification per group as soon as it is known, again when it resolves; a repeat only
      // after an hour, so that re-sent alerts are seen not to notify twice
      Files.writeString(
          config,
          String.join(
              "\n",
              "route:",
              "  receiver: test",
              "  group_by: [app]",
              "  group_wait: 1s",
              "  group_interval: 1s",
              "  repeat_interval: 1h",
              "receivers:",
              "  - name: test",
              "    webhook_configs:",
              "      - url: " + receiverUrl,
              "        send_resolved: true",
              ""));
      int port = freePort();
      String url = "http://127.0.0.1:" + port;
      Process p =
          new ProcessBuilder(
                  List.of(
                      BINARY,
                      "--config.file=" + config,
                      "--storage.path=" + dir.resolve("data"),
                      "--web.listen-address=127.0.0.1:" + port,
                      "--cluster.listen-address=",
                      "--log.level=warn"))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("alertmanager.log").toFile())
              .start();
      awaitReady(p, url, dir);
      return new Alertmanager(p, url);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitReady(Process p, String url, Path dir) {
    HttpClient http = HttpClient.newHttpClient();
    try {
      await("Alertmanager ready on " + url)
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new IllegalStateException(
                      "Alertmanager exited: " + Files.readString(dir.resolve("alertmanager.log")));
                }
                try {
                  return http.send(
                              HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200;
                } catch (IOException notYet) {
                  return false; // still starting
                }
              });
    } catch (RuntimeException e) {
      p.destroy();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

package dev.gantry.console.support;

import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The console's one set of test resources: the real Kafka broker, the stub services behind it, and
 * a port chosen here, so that the public URL (login links, the Origin check) names the port the
 * tests and the browser really use.
 */
public class ConsoleTestResource implements QuarkusTestResourceLifecycleManager {
  private static int port;

  @Override
  public Map<String, String> start() {
    port = freePort();
    return Map.of(
        "kafka.bootstrap.servers", GantryInfra.kafka().bootstrapServers(),
        "quarkus.http.test-port", Integer.toString(port),
        "gantry.console.public-url", publicUrl(),
        "gantry.console.rollout-url", Upstreams.ROLLOUTS.url(),
        "gantry.console.monitor-url", Upstreams.MONITOR.url(),
        "gantry.console.build-api-url", Upstreams.BUILDS.url());
  }

  public static String publicUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Keeps the broker and stubs for the next test class; they stop with the JVM. */
  @Override
  public void stop() {}

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

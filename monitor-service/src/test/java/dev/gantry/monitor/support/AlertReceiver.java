package dev.gantry.monitor.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.events.EventCodec;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP receiver on loopback standing in for a plain webhook, PagerDuty and Slack (the JDK's
 * HttpServer), and the webhook receiver of a real {@link Alertmanager} that monitor-service sends
 * its alerts to: it records every request body, and answers the first PagerDuty request 429 and the
 * first Slack request 500 (again after each {@link #reset}), as those services do when busy, so
 * retries are exercised. Started once per JVM; routes alerts of the app {@link #APP} to it.
 */
public class AlertReceiver implements QuarkusTestResourceLifecycleManager {
  public static final String APP = "paged";
  public static final String ROUTING_KEY = "R0UTINGKEY-secret-0123456789abcdef";

  /** What the real Alertmanager notified, in its webhook format. */
  public static final String ALERTMANAGER = "/alertmanager";

  public static final String WEBHOOK = "/webhook";

  /** Where pages link their evidence. */
  public static final String CONSOLE = "https://console.example.test";

  public static final String PAGERDUTY = "/pagerduty/v2/enqueue";
  public static final String SLACK = "/slack/T000/B000/XXXXSECRET";

  private static final Map<String, List<JsonNode>> RECEIVED = new ConcurrentHashMap<>();
  private static final Map<String, Integer> REFUSALS = Map.of(PAGERDUTY, 429, SLACK, 500);
  private static final Map<String, Integer> FAIL_FIRST = new ConcurrentHashMap<>(REFUSALS);
  private static HttpServer server;

  @Override
  public synchronized Map<String, String> start() {
    if (server == null) {
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (String path : List.of(ALERTMANAGER, WEBHOOK, PAGERDUTY, SLACK)) {
        server.createContext(path, AlertReceiver::handle);
      }
      server.start();
    }
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    String prefix = "gantry.monitor.alerts.apps." + APP + ".";
    return Map.of(
        prefix + "alertmanager-url",
        Alertmanager.start(base + ALERTMANAGER),
        prefix + "webhook-url",
        base + WEBHOOK,
        "gantry.monitor.alerts.console-url",
        CONSOLE,
        "gantry.monitor.alerts.resend-interval",
        "2s",
        prefix + "pagerduty-url",
        base + PAGERDUTY,
        prefix + "pagerduty-routing-key",
        ROUTING_KEY,
        prefix + "slack-webhook-url",
        base + SLACK,
        "gantry.monitor.alerts.initial-backoff",
        "100ms");
  }

  private static void handle(HttpExchange ex) throws IOException {
    String path = ex.getHttpContext().getPath();
    JsonNode body = EventCodec.mapper().readTree(ex.getRequestBody().readAllBytes());
    Integer fail = FAIL_FIRST.remove(path);
    if (fail != null) {
      ex.getResponseHeaders().add("Retry-After", "0");
      ex.sendResponseHeaders(fail, -1);
    } else {
      RECEIVED.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(body);
      ex.sendResponseHeaders(path.equals(PAGERDUTY) ? 202 : 200, -1);
    }
    ex.close();
  }

  /**
   * Forgets every delivery and arms the first refusals again, so that a test sees only its own
   * deliveries and its own retries (the receiver outlives test classes).
   */
  public static void reset() {
    RECEIVED.clear();
    FAIL_FIRST.clear();
    FAIL_FIRST.putAll(REFUSALS);
  }

  /** What a channel accepted, in order; refused attempts are not in it. */
  public static List<JsonNode> received(String path) {
    return RECEIVED.getOrDefault(path, List.of());
  }

  /** Kept for the next test class; it stops with the JVM. */
  @Override
  public void stop() {}
}

package dev.gantry.monitor.alert;

import dev.gantry.edge.ConsoleLinks;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * On-call channels, per app ({@code gantry.monitor.alerts.apps.<app>.*}) with a default for every
 * other app ({@code gantry.monitor.alerts.default.*}). URLs and keys are secrets: they are never
 * logged nor stored with the delivery records.
 */
@ConfigMapping(prefix = "gantry.monitor.alerts")
public interface AlertConfig {

  /**
   * The console's address as on-call reaches it: every page links its evidence to the rollout's
   * page there ({@code ConsoleLinks.rollout}), which lands on it after login.
   */
  @WithDefault(ConsoleLinks.DEFAULT_URL)
  String consoleUrl();

  /**
   * How often a firing incident is sent to Alertmanager again, as Prometheus re-sends firing alerts
   * (its resend delay is 1m): an Alertmanager that restarted, or a second replica, learns of it.
   */
  @WithDefault("1m")
  Duration resendInterval();

  /** Attempts per delivery, the first included; 5xx, 429 and network errors are retried. */
  @WithDefault("5")
  int maxAttempts();

  /** The first retry's pause; each next one doubles, up to {@code maxBackoff}. */
  @WithDefault("500ms")
  Duration initialBackoff();

  @WithDefault("30s")
  Duration maxBackoff();

  @WithDefault("5s")
  Duration timeout();

  /**
   * How often deliveries left by a stopped or crashed process are looked for; a new page and a
   * retry do not wait for it.
   */
  @WithDefault("5s")
  Duration pollInterval();

  @io.smallrye.config.WithName("default")
  Channels defaults();

  Map<String, Channels> apps();

  interface Channels {
    /**
     * A real Alertmanager's base URL (e.g. {@code http://alertmanager:9093}): alerts go to its API,
     * {@code POST /api/v2/alerts}, and Alertmanager groups, routes and notifies.
     */
    Optional<String> alertmanagerUrl();

    /**
     * A plain webhook: the body an Alertmanager webhook receiver gets (payload version 4), posted
     * to this URL directly.
     */
    Optional<String> webhookUrl();

    /** PagerDuty Events API v2; the routing key decides whether PagerDuty is used. */
    @WithDefault("https://events.pagerduty.com/v2/enqueue")
    String pagerdutyUrl();

    Optional<String> pagerdutyRoutingKey();

    /** A Slack incoming webhook. */
    Optional<String> slackWebhookUrl();
  }
}

package dev.gantry.monitor.alert;

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

  /** Where links to the evidence point: this service's address as on-call reaches it. */
  @WithDefault("http://127.0.0.1:8083")
  String publicUrl();

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
    /** An Alertmanager-compatible webhook receiver (payload version 4). */
    Optional<String> alertmanagerUrl();

    /** PagerDuty Events API v2; the routing key decides whether PagerDuty is used. */
    @WithDefault("https://events.pagerduty.com/v2/enqueue")
    String pagerdutyUrl();

    Optional<String> pagerdutyRoutingKey();

    /** A Slack incoming webhook. */
    Optional<String> slackWebhookUrl();
  }
}

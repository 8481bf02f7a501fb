package dev.gantry.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Where the console finds the other services, who it is to browsers, and how long a login lasts.
 */
@ConfigMapping(prefix = "gantry.console")
public interface ConsoleConfig {
  @WithDefault("http://127.0.0.1:8080")
  String buildApiUrl();

  @WithDefault("http://127.0.0.1:8082")
  String rolloutUrl();

  @WithDefault("http://127.0.0.1:8083")
  String monitorUrl();

  /** The address browsers use: the origin every non-GET must come from, and login links' base. */
  @WithDefault("http://127.0.0.1:8084")
  String publicUrl();

  @WithDefault("8h")
  Duration sessionTtl();

  /** Adds {@code Secure} to the session cookie: on wherever the console is served over HTTPS. */
  @WithDefault("false")
  boolean secureCookie();

  /**
   * The Kafka consumer group: one per instance ({@code ${quarkus.uuid}}), so each console hears
   * every event and none of them needs a committed offset.
   */
  String groupId();

  /** How long one upstream request may take before the service counts as away. */
  @WithDefault("5s")
  Duration upstreamTimeout();
}

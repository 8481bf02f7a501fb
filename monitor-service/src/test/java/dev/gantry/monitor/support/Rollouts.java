package dev.gantry.monitor.support;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventData;
import dev.gantry.events.Topics;
import dev.gantry.events.rollout.Release;
import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutPaused;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.events.rollout.Target;
import dev.gantry.testkit.KafkaEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Publishes on the real rollout.events topic what rollout-service would, for one test rollout. */
public final class Rollouts {
  public final String rolloutId = UUID.randomUUID().toString();
  public final String app;
  public final Release canary;
  public final Release stable;

  public Rollouts(String canaryVersion, String stableVersion) {
    this("app-" + UUID.randomUUID().toString().substring(0, 8), canaryVersion, stableVersion);
  }

  public Rollouts(String app, String canaryVersion, String stableVersion) {
    this.app = app;
    this.canary = release(canaryVersion);
    this.stable = stableVersion == null ? null : release(stableVersion);
  }

  private static Release release(String version) {
    String commit = (version + "0000000000000000000000000000000000000000").substring(0, 40);
    return new Release(version, "build-" + version, commit, "app/" + version + "/linux_amd64/app");
  }

  public static Target target(String track, String version, String baseUrl) {
    return new Target(
        track, version, baseUrl, baseUrl + "/debug/pprof", baseUrl + "/metrics", "127.0.0.1");
  }

  public static Target target(String track, RunningSample sample) {
    return target(track, sample.version(), sample.baseUrl());
  }

  /** A target that runs on {@code host} (whose node_exporter the monitor asks for its load). */
  public static Target onHost(Target t, String host) {
    return new Target(t.track(), t.version(), t.baseUrl(), t.pprofUrl(), t.metricsUrl(), host);
  }

  public CloudEvent<RolloutStepStarted> stepStarted(
      int step, Target canaryTarget, Target stableTarget) {
    Instant now = Instant.now();
    return CloudEvent.of(
        "rollout-service",
        new RolloutStepStarted(
            rolloutId,
            app,
            canary,
            stable,
            step,
            5,
            canaryTarget,
            stableTarget,
            now,
            now.plus(Duration.ofMinutes(5))));
  }

  public CloudEvent<RolloutAborted> aborted(int step) {
    return CloudEvent.of(
        "rollout-service",
        new RolloutAborted(
            rolloutId,
            app,
            canary,
            stable,
            step,
            5,
            "ManualAbort",
            "stopped by a test",
            Instant.now()));
  }

  public CloudEvent<RolloutRolledBack> rolledBack(int step) {
    return rolledBack(step, "RollbackRequested", "monitor-service asked");
  }

  /** A rollback rollout-service decided itself, e.g. {@code CanaryUnhealthy}. */
  public CloudEvent<RolloutRolledBack> rolledBack(int step, String reason, String message) {
    Instant now = Instant.now();
    return CloudEvent.of(
        "rollout-service",
        new RolloutRolledBack(
            rolloutId, app, canary, stable, step, 5, reason, message, null, now, now));
  }

  public CloudEvent<RolloutPaused> paused(int step, String reason, String message) {
    return CloudEvent.of(
        "rollout-service",
        new RolloutPaused(
            rolloutId, app, canary, stable, step, 25, reason, message, Instant.now()));
  }

  public void publish(CloudEvent<? extends EventData> event) {
    KafkaEvents.publish(Topics.ROLLOUT_EVENTS, app, event);
  }
}

package dev.gantry.buildapi;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventData;
import dev.gantry.events.Topics;
import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.RollbackRequested;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.Release;
import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutPaused;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStarted;
import dev.gantry.events.rollout.RolloutStepCompleted;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.testkit.KafkaEvents;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Plays rollout-service and monitor-service for one rollout of one build: each method makes the
 * next event of the rollout, a second later than the one before, keyed by app as they key them.
 * Making an event does not publish it, so a test can publish it late, or twice.
 */
final class Rollout {
  static final String ROLLOUT_SOURCE = "rollout-service";
  static final String MONITOR_SOURCE = "monitor-service";

  final String id = UUID.randomUUID().toString();
  final String app;
  final Release canary;
  final Release stable;
  private Instant clock = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
  private boolean verdictNamesBuild;

  private Rollout(String app, Release canary, Release stable) {
    this.app = app;
    this.canary = canary;
    this.stable = stable;
  }

  /** A rollout of {@code canary} replacing {@code stable} (null: the app's first deploy). */
  static Rollout of(String app, Release canary, Release stable) {
    return new Rollout(app, canary, stable);
  }

  /** A release that build-api never built, e.g. the version that served before Gantry. */
  static Release foreignRelease(String version) {
    return new Release(version, UUID.randomUUID().toString(), Forge.sha(), "artifacts/x");
  }

  /** Verdicts carry canaryBuildId, as newer monitor-services send them. */
  Rollout verdictsNameTheBuild() {
    this.verdictNamesBuild = true;
    return this;
  }

  /** Moves this rollout's clock past another's, so that its events happen after that one's. */
  Rollout after(Rollout earlier) {
    this.clock = earlier.clock.plusSeconds(60);
    return this;
  }

  CloudEvent<RolloutStarted> started() {
    return rollout(
        new RolloutStarted(id, app, canary, stable, List.of(5, 25, 50, 100), "local", tick()));
  }

  CloudEvent<RolloutStepStarted> stepStarted(int step, int weight) {
    return rollout(
        new RolloutStepStarted(
            id, app, canary, stable, step, weight, null, null, tick(), clock.plusSeconds(600)));
  }

  CloudEvent<RolloutStepCompleted> stepCompleted(int step, int weight) {
    return rollout(
        new RolloutStepCompleted(id, app, canary, stable, step, weight, "analysis", null, tick()));
  }

  CloudEvent<RolloutPaused> paused(int step, int weight) {
    return rollout(
        new RolloutPaused(
            id,
            app,
            canary,
            stable,
            step,
            weight,
            "AnalysisInconclusive",
            "too few samples",
            tick()));
  }

  CloudEvent<RolloutPromoted> promoted() {
    return rollout(new RolloutPromoted(id, app, canary, stable, false, tick()));
  }

  CloudEvent<RolloutAborted> aborted(int step, int weight) {
    return rollout(
        new RolloutAborted(
            id, app, canary, stable, step, weight, "ManualAbort", "aborted by operator", tick()));
  }

  CloudEvent<RolloutRolledBack> rolledBack(int step, int weight) {
    Instant requested = tick();
    return rollout(
        new RolloutRolledBack(
            id,
            app,
            canary,
            stable,
            step,
            weight,
            "AnalysisFailed",
            "canary failed analysis",
            null,
            requested,
            requested.plusMillis(30)));
  }

  CloudEvent<AnalysisVerdict> verdict(int step, Verdict verdict, List<Evidence> evidence) {
    Instant issued = tick();
    return monitor(
        new AnalysisVerdict(
            id,
            app,
            step,
            canary.version(),
            stable == null ? null : stable.version(),
            verdict,
            evidence,
            issued.minusSeconds(180),
            issued,
            issued,
            canary.commit(),
            verdictNamesBuild ? canary.buildId() : null));
  }

  CloudEvent<RollbackRequested> rollbackRequested(int step, List<Evidence> evidence) {
    return monitor(
        new RollbackRequested(
            id,
            app,
            canary.version(),
            stable == null ? null : stable.version(),
            "canary failed analysis",
            evidence,
            tick(),
            step,
            canary.commit(),
            verdictNamesBuild ? canary.buildId() : null));
  }

  /** Publishes on the topic rollout-service or monitor-service would, keyed by app. */
  void publish(CloudEvent<?> event) {
    String topic =
        event.source().equals(MONITOR_SOURCE) ? Topics.ANALYSIS_VERDICTS : Topics.ROLLOUT_EVENTS;
    KafkaEvents.publish(topic, app, event);
  }

  @SafeVarargs
  final void publishAll(CloudEvent<?>... events) {
    for (CloudEvent<?> e : events) {
      publish(e);
    }
  }

  private Instant tick() {
    clock = clock.plusSeconds(1);
    return clock;
  }

  private static <T extends EventData> CloudEvent<T> rollout(T data) {
    return CloudEvent.of(ROLLOUT_SOURCE, data);
  }

  private static <T extends EventData> CloudEvent<T> monitor(T data) {
    return CloudEvent.of(MONITOR_SOURCE, data);
  }
}

package dev.gantry.buildapi.domain;

import dev.gantry.events.rollout.Release;
import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutPaused;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStarted;
import dev.gantry.events.rollout.RolloutStepCompleted;
import dev.gantry.events.rollout.RolloutStepStarted;
import java.time.Instant;
import java.util.Optional;

/**
 * One rollout event reduced to what a build's trail keeps: the phase it leaves the canary in and
 * the share of traffic the canary has afterwards.
 *
 * @param step null when the event does not say (a start, a promotion)
 * @param weight the canary's percentage of traffic after the event
 */
public record RolloutFact(
    String rolloutId,
    String app,
    Release canary,
    Release stable,
    DeploymentPhase phase,
    Integer step,
    int weight,
    String reason,
    Instant at) {

  /**
   * The fact an event reports, or empty when it is not a rollout event or cannot be placed on a
   * trail (no rollout id or app, no canary, no time, a weight that is not a percentage).
   *
   * @param eventTime the CloudEvent's time, used when the payload has none
   */
  public static Optional<RolloutFact> of(Object data, Instant eventTime) {
    RolloutFact f = read(data, eventTime);
    if (f == null
        || f.rolloutId == null
        || f.rolloutId.isBlank()
        || f.app == null
        || f.app.isBlank()
        || f.canary == null
        || f.at == null
        || f.weight < 0
        || f.weight > 100
        || (f.step != null && f.step < 0)) {
      return Optional.empty();
    }
    return Optional.of(f);
  }

  public TrailPosition position() {
    return new TrailPosition(rolloutId, phase, step, at);
  }

  private static RolloutFact read(Object data, Instant eventTime) {
    if (data instanceof RolloutStarted e) {
      return new RolloutFact(
          e.rolloutId(),
          e.app(),
          e.canary(),
          e.stable(),
          DeploymentPhase.PROGRESSING,
          null,
          0,
          null,
          or(e.startedAt(), eventTime));
    } else if (data instanceof RolloutStepStarted e) {
      return new RolloutFact(
          e.rolloutId(),
          e.app(),
          e.canary(),
          e.stable(),
          DeploymentPhase.PROGRESSING,
          e.step(),
          e.weight(),
          null,
          or(e.startedAt(), eventTime));
    } else if (data instanceof RolloutStepCompleted e) {
      return new RolloutFact(
          e.rolloutId(),
          e.app(),
          e.canary(),
          e.stable(),
          DeploymentPhase.PROGRESSING,
          e.step(),
          e.weight(),
          null,
          or(e.completedAt(), eventTime));
    } else if (data instanceof RolloutPaused e) {
      return new RolloutFact(
          e.rolloutId(),
          e.app(),
          e.canary(),
          e.stable(),
          DeploymentPhase.PAUSED,
          e.step(),
          e.weight(),
          e.reason(),
          or(e.pausedAt(), eventTime));
    } else if (data instanceof RolloutPromoted e) {
      return new RolloutFact(
          e.rolloutId(),
          e.app(),
          e.canary(),
          e.stable(),
          DeploymentPhase.PROMOTED,
          null,
          100,
          null,
          or(e.promotedAt(), eventTime));
    } else if (data instanceof RolloutAborted e) {
      // the event's weight is what the canary had when it was stopped; it has none now
      return new RolloutFact(
          e.rolloutId(),
          e.app(),
          e.canary(),
          e.stable(),
          DeploymentPhase.ABORTED,
          e.step(),
          0,
          e.reason(),
          or(e.abortedAt(), eventTime));
    } else if (data instanceof RolloutRolledBack e) {
      return new RolloutFact(
          e.rolloutId(),
          e.app(),
          e.canary(),
          e.stable(),
          DeploymentPhase.ROLLED_BACK,
          e.step(),
          0,
          e.reason(),
          or(e.rolledBackAt(), eventTime));
    }
    return null;
  }

  private static Instant or(Instant first, Instant fallback) {
    return first != null ? first : fallback;
  }
}

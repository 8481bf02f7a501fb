package dev.gantry.buildapi.domain;

import java.time.Instant;

/**
 * How far a build's rollout had got when something was reported about it. Kafka keeps one app's
 * events in order, but redeliveries and a producer's retries can still bring an older report after
 * a newer one; this is the monotonic rule that keeps the stored trail from moving back:
 *
 * <ul>
 *   <li>a report of another rollout of the same build wins only if it happened later;
 *   <li>a finished rollout (promoted, aborted, rolled back) never changes again;
 *   <li>a report that finishes the rollout wins over any unfinished state;
 *   <li>otherwise a higher step wins, and within one step a later time (a pause, then a resume).
 * </ul>
 *
 * A report equal to the stored one is not newer, so a duplicate changes nothing.
 *
 * @param step the step's index; null before the first step
 */
public record TrailPosition(String rolloutId, DeploymentPhase phase, Integer step, Instant at) {

  public boolean isOvertakenBy(TrailPosition next) {
    if (!rolloutId.equals(next.rolloutId)) {
      return next.at.isAfter(at);
    }
    if (phase.isFinished()) {
      return false;
    }
    if (next.phase.isFinished()) {
      return true;
    }
    int byStep = Integer.compare(order(next.step), order(step));
    return byStep > 0 || (byStep == 0 && next.at.isAfter(at));
  }

  private static int order(Integer step) {
    return step == null ? -1 : step;
  }
}

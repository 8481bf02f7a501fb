package dev.gantry.rollout.domain;

import java.time.Instant;

/**
 * An effect a reconcile asks for, performed by the caller after the new status is stored. Each is
 * safe to perform twice: weights are absolute, starting or stopping is idempotent.
 */
public sealed interface Action
    permits Action.StartCanary,
        Action.SetWeight,
        Action.StepStarted,
        Action.StepCompleted,
        Action.MakeCanaryStable,
        Action.StopCanary,
        Action.RecordTransition,
        Action.RejectRequest {

  /** Run the canary, taking no traffic yet, next to the stable version. */
  record StartCanary() implements Action {}

  /** Route {@code canaryWeight} percent of the traffic to the canary and the rest to stable. */
  record SetWeight(int canaryWeight) implements Action {
    public int stableWeight() {
      return 100 - canaryWeight;
    }
  }

  /**
   * @param deadline when the gate must be decided; null for a manual gate
   */
  record StepStarted(int step, int weight, Instant startedAt, Instant deadline) implements Action {}

  /**
   * @param reason what let the gate pass: {@link Reasons#ANALYSIS_PASSED}, {@link
   *     Reasons#PAUSE_ELAPSED}, {@link Reasons#MANUAL_PROMOTE}, …
   * @param verdictId the event id of the PASS that let it pass, if it was one and it is known
   */
  record StepCompleted(int step, int weight, String reason, String verdictId) implements Action {
    public StepCompleted(int step, int weight, String reason) {
      this(step, weight, reason, null);
    }
  }

  /** The canary becomes the version serving the app; the old stable may stop. */
  record MakeCanaryStable() implements Action {}

  record StopCanary() implements Action {}

  /** A phase change, for the rollout's history and its event. */
  record RecordTransition(Phase from, Phase to, String reason, String message, Instant at)
      implements Action {}

  /** A request that was accepted earlier but can no longer be honoured. */
  record RejectRequest(Request request, String reason, String message) implements Action {}
}

package dev.gantry.rollout.domain;

/** Whether a request was taken; a rejection is an answer, not an exception. */
public sealed interface RequestResult permits RequestResult.Accepted, RequestResult.Rejected {

  /** The status with the request recorded; a reconcile acts on it. */
  record Accepted(RolloutStatus status) implements RequestResult {}

  /**
   * @param reason {@link Reasons#ILLEGAL_TRANSITION} or {@link Reasons#STALE_VERDICT}
   */
  record Rejected(String reason, String message) implements RequestResult {}
}

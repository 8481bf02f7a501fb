package dev.gantry.rollout.domain;

import java.time.Instant;

/**
 * An observation about a rollout, in the shape Kubernetes and Argo Rollouts use.
 *
 * @param reason one of the {@link Reasons} constants, stable enough to alert and filter on
 * @param message for humans
 * @param since when the condition last changed status or reason
 */
public record Condition(
    ConditionType type, boolean status, String reason, String message, Instant since) {

  public static Condition isTrue(ConditionType type, String reason, String message, Instant since) {
    return new Condition(type, true, reason, message, since);
  }

  public static Condition isFalse(
      ConditionType type, String reason, String message, Instant since) {
    return new Condition(type, false, reason, message, since);
  }

  boolean sameStateAs(Condition other) {
    return other != null
        && type == other.type
        && status == other.status
        && reason.equals(other.reason);
  }
}

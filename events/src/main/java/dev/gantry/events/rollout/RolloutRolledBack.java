package dev.gantry.events.rollout;

import java.time.Instant;

/**
 * The canary was taken out of service because it misbehaved or an operator asked: the stable
 * version serves all traffic again and the canary is stopped.
 *
 * @param reason a constant: {@code AnalysisFailed}, {@code RollbackRequested}, {@code
 *     ManualRollback}
 * @param causeId the id of the event that caused it (a verdict or RollbackRequested), if any
 * @param requestedAt when the cause arrived; {@code rolledBackAt} minus this is the time to roll
 *     back
 */
public record RolloutRolledBack(
    String rolloutId,
    String app,
    Release canary,
    Release stable,
    int step,
    int weight,
    String reason,
    String message,
    String causeId,
    Instant requestedAt,
    Instant rolledBackAt)
    implements RolloutEvent {
  @Override
  public String subject() {
    return app;
  }
}

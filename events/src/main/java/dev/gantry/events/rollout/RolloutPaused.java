package dev.gantry.events.rollout;

import java.time.Instant;

/**
 * The rollout holds at its current weight until an operator resumes, promotes or aborts it.
 *
 * @param reason a constant: {@code AnalysisInconclusive}, {@code StepDeadlineExceeded}, {@code
 *     ManualPause}, …
 */
public record RolloutPaused(
    String rolloutId,
    String app,
    Release canary,
    Release stable,
    int step,
    int weight,
    String reason,
    String message,
    Instant pausedAt)
    implements RolloutEvent {
  @Override
  public String subject() {
    return app;
  }
}

package dev.gantry.events.rollout;

import java.time.Instant;

/**
 * A step's gate passed.
 *
 * @param gate what let it pass: {@code analysis} (a PASS verdict), {@code pause} (its time elapsed)
 *     or {@code manual} (an operator's promote)
 * @param verdictId the AnalysisVerdict's event id when {@code gate} is {@code analysis}
 */
public record RolloutStepCompleted(
    String rolloutId,
    String app,
    Release canary,
    Release stable,
    int step,
    int weight,
    String gate,
    String verdictId,
    Instant completedAt)
    implements RolloutEvent {
  @Override
  public String subject() {
    return app;
  }
}

package dev.gantry.events.rollout;

import java.time.Instant;

/**
 * The rollout stopped without promoting: the stable version serves all traffic again.
 *
 * @param reason a constant: {@code ManualAbort}, {@code SupersededByNewerBuild}, …
 */
public record RolloutAborted(
    String rolloutId,
    String app,
    Release canary,
    Release stable,
    int step,
    int weight,
    String reason,
    String message,
    Instant abortedAt)
    implements RolloutEvent {
  @Override
  public String subject() {
    return app;
  }
}

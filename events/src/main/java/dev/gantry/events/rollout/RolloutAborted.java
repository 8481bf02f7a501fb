package dev.gantry.events.rollout;

import dev.gantry.events.EventData;
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
    implements EventData {
  @Override
  public String subject() {
    return app;
  }
}

package dev.gantry.events.rollout;

import java.time.Instant;
import java.util.List;

/**
 * A rollout of a new version began.
 *
 * @param stable the version serving now; null for an app's first deploy
 * @param weights the canary weight of each step, in percent, ending at 100
 * @param router {@code local}, {@code kubernetes} or {@code nginx}
 */
public record RolloutStarted(
    String rolloutId,
    String app,
    Release canary,
    Release stable,
    List<Integer> weights,
    String router,
    Instant startedAt)
    implements RolloutEvent {
  @Override
  public String subject() {
    return app;
  }
}

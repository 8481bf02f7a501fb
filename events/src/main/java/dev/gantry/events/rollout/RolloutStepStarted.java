package dev.gantry.events.rollout;

import java.time.Instant;

/**
 * The canary now takes {@code weight} percent of the traffic.
 *
 * @param step the step's index, from 0
 * @param canaryTarget where the canary serves; the monitor scrapes it
 * @param stableTarget where the stable version serves; null when there is none
 * @param deadline when the step's gate must have passed, or the rollout pauses
 */
public record RolloutStepStarted(
    String rolloutId,
    String app,
    Release canary,
    Release stable,
    int step,
    int weight,
    Target canaryTarget,
    Target stableTarget,
    Instant startedAt,
    Instant deadline)
    implements RolloutEvent {
  @Override
  public String subject() {
    return app;
  }
}

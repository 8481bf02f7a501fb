package dev.gantry.events.rollout;

import java.time.Instant;

/**
 * The canary became the stable version and serves all traffic.
 *
 * @param canary the version now serving
 * @param stable the version it replaced; null after a first deploy
 * @param full whether an operator skipped the remaining steps
 */
public record RolloutPromoted(
    String rolloutId, String app, Release canary, Release stable, boolean full, Instant promotedAt)
    implements RolloutEvent {
  @Override
  public String subject() {
    return app;
  }
}

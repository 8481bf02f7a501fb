package dev.gantry.rollout.persistence;

import dev.gantry.rollout.domain.AppSpec;
import dev.gantry.rollout.domain.Release;
import java.time.Instant;

/**
 * A registered app as stored, with what serves it.
 *
 * @param current the release serving now; null until the first deploy is promoted
 * @param previous the release before {@code current}, where a rollback of the app goes
 * @param queued a build waiting for the running rollout to end; a newer build replaces it
 */
public record AppRecord(
    AppSpec spec,
    Release current,
    Release previous,
    Release queued,
    long lockVersion,
    Instant createdAt,
    Instant updatedAt) {

  public String name() {
    return spec.name();
  }
}

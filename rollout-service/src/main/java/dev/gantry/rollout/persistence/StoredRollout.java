package dev.gantry.rollout.persistence;

import dev.gantry.rollout.domain.Phase;
import dev.gantry.rollout.domain.RolloutSpec;
import dev.gantry.rollout.domain.RolloutStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A rollout as stored.
 *
 * @param lockVersion grows by one with every write; a write based on an older one is refused
 * @param wakeAt when a timer must reconcile it even if nothing else happens
 */
public record StoredRollout(
    UUID id,
    RolloutSpec spec,
    RolloutStatus status,
    Phase phase,
    long lockVersion,
    Optional<Instant> wakeAt,
    Instant createdAt,
    Instant updatedAt) {}

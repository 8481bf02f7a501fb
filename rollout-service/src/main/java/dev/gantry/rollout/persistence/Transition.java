package dev.gantry.rollout.persistence;

import dev.gantry.rollout.domain.Phase;
import java.time.Instant;

/** One row of a rollout's history. */
public record Transition(Phase from, Phase to, String reason, String message, Instant at) {}

package dev.gantry.rollout.persistence;

import dev.gantry.rollout.domain.Phase;
import java.time.Instant;

/**
 * One row of a rollout's history: a phase change, a step the rollout entered, or both.
 *
 * @param step the step entered, from 0; null for a phase change alone
 * @param weight the canary's weight at that step; null with {@code step}
 */
public record Transition(
    Phase from,
    Phase to,
    String reason,
    String message,
    Instant at,
    Integer step,
    Integer weight) {}

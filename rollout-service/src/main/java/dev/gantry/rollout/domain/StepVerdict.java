package dev.gantry.rollout.domain;

import java.time.Instant;

/** The last verdict received, and the step it was about. */
public record StepVerdict(int step, Verdict verdict, String message, Instant receivedAt) {}

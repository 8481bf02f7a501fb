package dev.gantry.rollout.domain;

import java.time.Instant;

/**
 * The last verdict received, and the step it was about.
 *
 * @param receivedAt when it arrived here
 * @param eventId the AnalysisVerdict's event id; null when unknown (and in rows stored before it
 *     was kept)
 */
public record StepVerdict(
    int step, Verdict verdict, String message, Instant receivedAt, String eventId) {

  public StepVerdict(int step, Verdict verdict, String message, Instant receivedAt) {
    this(step, verdict, message, receivedAt, null);
  }
}

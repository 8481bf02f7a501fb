package dev.gantry.events.analysis;

import dev.gantry.events.EventData;
import java.time.Instant;
import java.util.List;

/**
 * monitor-service's judgement of one rollout step, from the samples between {@code windowStart} and
 * {@code windowEnd}.
 */
public record AnalysisVerdict(
    String rolloutId,
    String app,
    int step,
    String canaryVersion,
    String stableVersion,
    Verdict verdict,
    List<Evidence> evidence,
    Instant windowStart,
    Instant windowEnd,
    Instant issuedAt)
    implements EventData {
  @Override
  public String subject() {
    return app;
  }
}

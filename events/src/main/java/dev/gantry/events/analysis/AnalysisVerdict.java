package dev.gantry.events.analysis;

import dev.gantry.events.EventData;
import java.time.Instant;
import java.util.List;

/**
 * monitor-service's judgement of one rollout step, from the samples between {@code windowStart} and
 * {@code windowEnd}.
 *
 * @param canaryCommit the commit the canary was built from (added later: may be null)
 * @param canaryBuildId the build that produced the canary (added later: may be null)
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
    Instant issuedAt,
    String canaryCommit,
    String canaryBuildId)
    implements EventData {

  /** The original fields, for producers that do not know the canary's build. */
  public AnalysisVerdict(
      String rolloutId,
      String app,
      int step,
      String canaryVersion,
      String stableVersion,
      Verdict verdict,
      List<Evidence> evidence,
      Instant windowStart,
      Instant windowEnd,
      Instant issuedAt) {
    this(
        rolloutId,
        app,
        step,
        canaryVersion,
        stableVersion,
        verdict,
        evidence,
        windowStart,
        windowEnd,
        issuedAt,
        null,
        null);
  }

  @Override
  public String subject() {
    return app;
  }
}

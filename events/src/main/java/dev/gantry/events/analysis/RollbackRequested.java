package dev.gantry.events.analysis;

import dev.gantry.events.EventData;
import java.time.Instant;
import java.util.List;

/**
 * monitor-service asks for the canary to be taken out of service now, whatever step it is at.
 *
 * @param reason one sentence for the page and the rollout's history
 * @param step the step whose analysis failed (added later: null from older producers)
 * @param canaryCommit the commit the canary was built from (added later: may be null)
 * @param canaryBuildId the build that produced the canary (added later: may be null)
 */
public record RollbackRequested(
    String rolloutId,
    String app,
    String canaryVersion,
    String stableVersion,
    String reason,
    List<Evidence> evidence,
    Instant requestedAt,
    Integer step,
    String canaryCommit,
    String canaryBuildId)
    implements EventData {

  /** The original fields, for producers that do not know the step or the canary's build. */
  public RollbackRequested(
      String rolloutId,
      String app,
      String canaryVersion,
      String stableVersion,
      String reason,
      List<Evidence> evidence,
      Instant requestedAt) {
    this(
        rolloutId,
        app,
        canaryVersion,
        stableVersion,
        reason,
        evidence,
        requestedAt,
        null,
        null,
        null);
  }

  @Override
  public String subject() {
    return app;
  }
}

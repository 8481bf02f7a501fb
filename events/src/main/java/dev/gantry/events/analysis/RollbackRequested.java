package dev.gantry.events.analysis;

import dev.gantry.events.EventData;
import java.time.Instant;
import java.util.List;

/**
 * monitor-service asks for the canary to be taken out of service now, whatever step it is at.
 *
 * @param reason one sentence for the page and the rollout's history
 */
public record RollbackRequested(
    String rolloutId,
    String app,
    String canaryVersion,
    String stableVersion,
    String reason,
    List<Evidence> evidence,
    Instant requestedAt)
    implements EventData {
  @Override
  public String subject() {
    return app;
  }
}

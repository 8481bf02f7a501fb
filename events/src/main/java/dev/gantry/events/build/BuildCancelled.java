package dev.gantry.events.build;

import dev.gantry.events.EventData;
import java.time.Instant;

/** The build was stopped on request before it finished. */
public record BuildCancelled(
    String buildId, String repo, String refName, String reason, Instant finishedAt)
    implements EventData {
  @Override
  public String subject() {
    return buildId;
  }
}

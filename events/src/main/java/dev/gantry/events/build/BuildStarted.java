package dev.gantry.events.build;

import dev.gantry.events.EventData;
import java.time.Instant;

/** A worker took the build and began fetching its source. */
public record BuildStarted(
    String buildId, String repo, String refName, String commit, String worker, Instant startedAt)
    implements EventData {
  @Override
  public String subject() {
    return buildId;
  }
}

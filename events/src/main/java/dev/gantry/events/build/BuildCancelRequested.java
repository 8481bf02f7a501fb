package dev.gantry.events.build;

import dev.gantry.events.EventData;
import java.time.Instant;

/**
 * Someone asked to stop a queued or running build: a newer push superseded it, or an operator
 * cancelled it. Published on {@code build.requests} with the same key as the build's request.
 *
 * @param supersededBy the newer build when the cause is a newer push, otherwise null
 */
public record BuildCancelRequested(
    String buildId,
    String repo,
    String refName,
    String reason,
    String supersededBy,
    Instant requestedAt)
    implements EventData {
  @Override
  public String subject() {
    return buildId;
  }
}

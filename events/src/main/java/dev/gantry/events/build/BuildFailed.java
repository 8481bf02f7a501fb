package dev.gantry.events.build;

import dev.gantry.events.EventData;
import java.time.Instant;
import java.util.List;

/**
 * The build stopped at a stage with an error.
 *
 * @param stage where it failed: fetch, checkout, vet, test, build, publish
 * @param exitCode the failing process's exit code, null when no process failed
 * @param logTail the last lines of the build log
 */
public record BuildFailed(
    String buildId,
    String repo,
    String refName,
    String commit,
    String stage,
    Integer exitCode,
    String message,
    List<String> logTail,
    Instant finishedAt)
    implements EventData {
  @Override
  public String subject() {
    return buildId;
  }
}

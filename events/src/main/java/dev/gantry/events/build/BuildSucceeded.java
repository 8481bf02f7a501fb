package dev.gantry.events.build;

import dev.gantry.events.EventData;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every target built, artifacts published under the shared root.
 *
 * @param toolchain the exact {@code go version} output of the toolchain used
 * @param stageMillis how long each stage took (fetch, vet, test, build, publish)
 */
public record BuildSucceeded(
    String buildId,
    String repo,
    String refName,
    String appName,
    String commit,
    String version,
    String toolchain,
    List<Artifact> artifacts,
    Map<String, Long> stageMillis,
    CacheStats cache,
    Instant startedAt,
    Instant finishedAt)
    implements EventData {
  @Override
  public String subject() {
    return buildId;
  }
}

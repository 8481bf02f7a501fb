package dev.gantry.events.build;

import dev.gantry.events.EventData;
import java.time.Instant;

/**
 * build-api accepted a build. Published on {@code build.requests} with the key {@code repo@refName}
 * so that one branch's requests are consumed in order.
 *
 * @param repo the repository key, {@code host/owner/name}
 * @param ref the full ref, e.g. {@code refs/heads/main} or {@code refs/tags/v1.2.0}
 * @param version the tag for tag builds; null for branch builds (the worker derives a
 *     pseudo-version)
 * @param trigger {@code webhook} or {@code manual}
 */
public record BuildRequested(
    String buildId,
    String repoId,
    String repo,
    String cloneUrl,
    String provider,
    String ref,
    RefType refType,
    String refName,
    String commit,
    String version,
    String appName,
    String message,
    String author,
    String trigger,
    Instant requestedAt)
    implements EventData {
  @Override
  public String subject() {
    return buildId;
  }
}

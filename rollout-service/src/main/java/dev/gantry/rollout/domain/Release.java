package dev.gantry.rollout.domain;

import java.time.Instant;

/**
 * One version of an app and where it came from, so that whatever serves traces back to its build
 * and commit.
 *
 * @param artifact the binary's path relative to the shared root, e.g. {@code
 *     artifacts/hello/v1.2.0/linux_amd64/hello}
 * @param builtAt when its build finished ({@code BuildSucceeded.finishedAt}); null for releases
 *     stored before it was recorded. It decides which of two builds is the newer one.
 */
public record Release(
    String version, String buildId, String commit, String artifact, Instant builtAt) {

  public Release(String version, String buildId, String commit, String artifact) {
    this(version, buildId, commit, artifact, null);
  }

  /**
   * Whether this build is older than {@code other}, so that it must neither take the place of
   * {@code other} nor run after it.
   *
   * <p>"Newer" means a later {@code BuildSucceeded.finishedAt}, not a later commit time: build
   * requests are keyed by repository and branch, so one branch's builds run one after another in
   * the order they were pushed, and their finish times follow that order even when a force-push
   * moves the branch back to an older commit (which a commit time would call stale) and for tag
   * versions, which carry no time at all. build.events is keyed by build id, so this is the only
   * order a consumer can trust. A release without a time is never called older: nothing is known.
   */
  public boolean builtBefore(Release other) {
    return other != null
        && builtAt != null
        && other.builtAt != null
        && builtAt.isBefore(other.builtAt);
  }
}

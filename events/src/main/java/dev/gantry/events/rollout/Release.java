package dev.gantry.events.rollout;

/**
 * One version of an app and where it came from, so that every running version traces back to its
 * build and commit.
 *
 * @param version the artifact version, e.g. {@code v1.4.0} or a pseudo-version
 * @param buildId the build that produced it
 * @param commit the full commit sha it was built from
 * @param artifact the binary's path relative to the shared root, for the target platform
 */
public record Release(String version, String buildId, String commit, String artifact) {}

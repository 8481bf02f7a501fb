package dev.gantry.rollout.domain;

/**
 * One version of an app and where it came from, so that whatever serves traces back to its build
 * and commit.
 *
 * @param artifact the binary's path relative to the shared root, e.g. {@code
 *     artifacts/hello/v1.2.0/linux_amd64/hello}
 */
public record Release(String version, String buildId, String commit, String artifact) {}

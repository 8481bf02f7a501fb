package dev.gantry.rollout.router;

/**
 * One version of an app, as a router runs it.
 *
 * @param artifact the binary's path relative to the shared root, e.g. {@code
 *     artifacts/hello/v1.2.0/linux_amd64/hello}
 */
public record Backend(String version, String buildId, String commit, String artifact) {}

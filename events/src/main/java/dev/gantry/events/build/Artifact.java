package dev.gantry.events.build;

/**
 * One binary a build produced.
 *
 * @param path relative to the shared root: {@code
 *     artifacts/<app>/<version>/<goos>_<goarch>/<binary>}
 * @param sha256 lower-case hex digest of the file
 */
public record Artifact(
    String path, String sha256, long size, String goos, String goarch, String binary) {}

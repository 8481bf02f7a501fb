package dev.gantry.buildworker.domain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything one worker needs, as plain values, so that a worker runs the same inside Quarkus and
 * as a bare engine (tests start a second and a third worker on one shared root this way).
 *
 * @param goBinary the go command, an absolute path or a name on PATH
 * @param upstreamProxy {@code GOPROXY} entry after the shared module cache; {@code off} for none
 */
public record WorkerSettings(
    String workerId,
    String source,
    String bootstrapServers,
    String requestsTopic,
    String eventsTopic,
    String groupId,
    int concurrency,
    Path sharedRoot,
    Path localDir,
    String goBinary,
    String upstreamProxy,
    String sumdb,
    String privatePatterns,
    Duration buildTimeout,
    Duration killGrace,
    Duration sessionTimeout,
    boolean localMode) {

  public WorkerSettings {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(sharedRoot, "sharedRoot");
    Objects.requireNonNull(localDir, "localDir");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    sharedRoot = sharedRoot.toAbsolutePath().normalize();
    localDir = localDir.toAbsolutePath().normalize();
    if (localDir.startsWith(sharedRoot)) {
      // Go's own cache and the workspaces must stay off NFS
      throw new IllegalArgumentException(
          "the local dir " + localDir + " must not be inside the shared root " + sharedRoot);
    }
  }

  public WorkerSettings withBuildTimeout(Duration timeout) {
    return new WorkerSettings(
        workerId,
        source,
        bootstrapServers,
        requestsTopic,
        eventsTopic,
        groupId,
        concurrency,
        sharedRoot,
        localDir,
        goBinary,
        upstreamProxy,
        sumdb,
        privatePatterns,
        timeout,
        killGrace,
        sessionTimeout,
        localMode);
  }
}

package dev.gantry.buildworker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "gantry")
public interface WorkerConfig {

  /** The CloudEvents {@code source} of everything this service publishes. */
  @WithDefault("build-worker")
  String source();

  /**
   * Allows {@code file://} clone URLs: the embedded default and tests serve repositories locally.
   */
  @WithDefault("false")
  boolean localMode();

  Shared shared();

  Worker worker();

  Topics topics();

  interface Shared {
    /** The shared root (an NFS export in production): caches, mirrors, artifacts, logs. */
    Path root();
  }

  interface Worker {
    /** This worker's name in events and logs; the host name and pid when unset. */
    Optional<String> id();

    /** Local disk for workspaces, the local build cache and the module cache; never on NFS. */
    Path localDir();

    /** Builds run at once; when all run, the worker stops taking requests. */
    @WithDefault("2")
    int concurrency();

    @WithDefault("build-worker")
    String groupId();

    /** Fails a build that runs longer. */
    @WithDefault("PT20M")
    Duration buildTimeout();

    /** Between SIGTERM and SIGKILL when a build is cancelled or timed out. */
    @WithDefault("PT2S")
    Duration killGrace();

    /** How long the Kafka group waits for a silent worker before its requests go to another. */
    @WithDefault("PT15S")
    Duration sessionTimeout();

    Go go();
  }

  interface Go {
    /** The go binary; the build uses exactly this toolchain ({@code GOTOOLCHAIN=local}). */
    @WithDefault("go")
    String binary();

    /** Where modules missing from the shared module cache come from; {@code off} for none. */
    @WithDefault("https://proxy.golang.org")
    String upstreamProxy();

    @WithDefault("sum.golang.org")
    String sumdb();

    /** GOPRIVATE for the builds, if any. */
    Optional<String> privatePatterns();
  }

  interface Topics {
    @WithDefault("build.requests")
    String buildRequests();

    @WithDefault("build.events")
    String buildEvents();
  }
}

package dev.gantry.buildapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "gantry")
public interface BuildApiConfig {

  /** The CloudEvents {@code source} of everything this service publishes. */
  @WithDefault("build-api")
  String source();

  /**
   * Allows {@code file://} clone URLs: the embedded default and tests serve repositories locally.
   */
  @WithDefault("false")
  boolean localMode();

  Webhook webhook();

  Auth auth();

  Topics topics();

  Outbox outbox();

  Shared shared();

  Logs logs();

  interface Webhook {
    /** Largest accepted webhook body; GitHub caps its payloads at 25 MB. */
    @WithDefault("26214400")
    long maxBodyBytes();
  }

  interface Auth {
    /** Bearer token for writes and for {@code /repos}. Without it every write is refused. */
    Optional<String> operatorToken();

    /** Bearer token for reads. */
    Optional<String> viewerToken();

    /** Reads need no token at all. */
    @WithDefault("false")
    boolean openReads();
  }

  interface Topics {
    @WithDefault("build.requests")
    String buildRequests();
  }

  interface Outbox {
    /** How often the relay looks for unpublished rows when nothing woke it up. */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    @WithDefault("200")
    int batchSize();
  }

  interface Shared {
    /**
     * The storage the workers write to: a local folder in the embedded default, the NFS export
     * (mounted read-only) in a cluster. build-api reads only build logs, under {@code
     * <root>/logs/builds/}.
     */
    @WithDefault("/var/lib/gantry/shared")
    Path root();
  }

  interface Logs {
    /** How often a followed log is read again while nothing new has arrived. */
    @WithDefault("PT0.25S")
    Duration pollInterval();

    /**
     * After this long without an event a follower gets an SSE comment, so that proxies keep the
     * stream open and a client that went away is noticed.
     */
    @WithDefault("PT15S")
    Duration heartbeat();
  }
}

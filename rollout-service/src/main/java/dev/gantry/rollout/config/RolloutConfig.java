package dev.gantry.rollout.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** rollout-service's settings, under {@code gantry.}. */
@ConfigMapping(prefix = "gantry")
public interface RolloutConfig {

  /** The CloudEvents source of what this service publishes. */
  @WithDefault("rollout-service")
  String source();

  Shared shared();

  Topics topics();

  Rollout rollout();

  Router router();

  interface Shared {
    /** The shared root: artifacts are read from {@code <root>/artifacts}. */
    Path root();
  }

  interface Topics {
    @WithName("build-events")
    @WithDefault("build.events")
    String buildEvents();

    @WithName("rollout-events")
    @WithDefault("rollout.events")
    String rolloutEvents();

    @WithName("analysis-verdicts")
    @WithDefault("analysis.verdicts")
    String analysisVerdicts();
  }

  interface Rollout {
    /** The consumer group of build.events and analysis.verdicts. */
    @WithName("group-id")
    @WithDefault("rollout-service")
    String groupId();

    /**
     * How long the broker waits for a silent member of the group before it hands its partitions to
     * another. Kafka's 45 s default would hold a killed instance's partitions that long; a restart
     * with the same {@link #instanceId()} takes them back at once.
     */
    @WithName("session-timeout")
    @WithDefault("PT10S")
    Duration sessionTimeout();

    /**
     * The consumer's static membership id ({@code group.instance.id}), so that an instance started
     * again after a crash gets its partitions back without waiting for a rebalance. Unset: {@code
     * <group-id>-<hostname>}. Two live instances must never share one: the broker fences the older.
     */
    @WithName("group-instance-id")
    Optional<String> instanceId();

    /** How often the timer looks for rollouts whose gate or deadline is due. */
    @WithName("timer-interval")
    @WithDefault("PT0.25S")
    Duration timerInterval();

    /**
     * How long an operator's request ({@code POST /rollouts/{id}/abort}, {@code
     * /apps/{name}/rollback}, …) waits for the router to carry it out before it answers with the
     * stored state; the router follows either way.
     */
    @WithName("converge-wait")
    @WithDefault("PT10S")
    Duration convergeWait();

    /** Off in tests of single classes that drive the engine themselves. */
    @WithName("consume")
    @WithDefault("true")
    boolean consume();
  }

  interface Router {
    /**
     * How often a transient router failure (nginx reload, Kubernetes API) is retried while a canary
     * is in the route before the rollout is rolled back.
     */
    @WithName("transient-retries")
    @WithDefault("3")
    int transientRetries();

    /** The wait before the first retry of a router failure; it doubles with each one. */
    @WithName("retry-backoff")
    @WithDefault("PT1S")
    Duration retryBackoff();

    Local local();

    Nginx nginx();

    Kubernetes kubernetes();

    interface Local {
      /** Where child processes' pids, ports and logs are kept, for adoption after a restart. */
      @WithName("state-dir")
      Path stateDir();

      /** How long a version may take to answer its health check. */
      @WithName("health-timeout")
      @WithDefault("PT30S")
      Duration healthTimeout();

      /** The host name given to monitor-service for host metrics; the machine's name by default. */
      Optional<String> host();
    }

    interface Nginx {
      /** nginx's include folder for {@code gantry-<app>.conf}; unset = no nginx router. */
      @WithName("conf-dir")
      Optional<Path> confDir();

      /** argv that checks the configuration, e.g. {@code nginx,-t,-q}. */
      @WithName("test-command")
      Optional<List<String>> testCommand();

      /** argv that reloads nginx, e.g. {@code nginx,-s,reload}. */
      @WithName("reload-command")
      Optional<List<String>> reloadCommand();
    }

    interface Kubernetes {
      /** Whether the kubernetes router is offered; it needs a cluster (or the mock server). */
      @WithDefault("false")
      boolean enabled();

      @WithDefault("default")
      String namespace();

      /** The image the apps' binaries run in, from the shared volume. */
      @WithDefault("gcr.io/distroless/static-debian12:nonroot")
      String image();

      /** The ReadWriteMany claim of the shared root. */
      @WithName("shared-claim")
      @WithDefault("gantry-shared")
      String sharedClaim();

      @WithName("ready-timeout")
      @WithDefault("PT5M")
      Duration readyTimeout();

      /** Where the shared volume is mounted in the apps' pods. */
      @WithName("shared-mount-path")
      @WithDefault("/gantry")
      String sharedMountPath();

      /** The port the apps listen on in their pods ({@code PORT}). */
      @WithName("app-port")
      @WithDefault("8080")
      int appPort();

      /** The stable version's pods, unless the app's {@code replicas} option says otherwise. */
      @WithDefault("4")
      int replicas();
    }
  }
}

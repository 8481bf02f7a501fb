package dev.gantry.monitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How monitor-service scrapes and judges; every default is documented in the README. */
@ConfigMapping(prefix = "gantry.monitor")
public interface MonitorConfig {

  /** Between two scrapes of one target. */
  @WithDefault("5s")
  Duration interval();

  /** One HTTP request to a target, connect included. */
  @WithDefault("2s")
  Duration timeout();

  /** The largest profile read from a target, before and after gunzip. */
  @WithDefault("8388608")
  int maxProfileBytes();

  /** The largest /metrics page read from a target. */
  @WithDefault("2097152")
  int maxMetricsBytes();

  /**
   * Ask for the heap profile with {@code ?gc=1}: the target runs a GC first, so in-use bytes are
   * current. Without it Go reports the heap as of up to two GC cycles ago, and a leak shows late.
   * Costs the target one GC per scrape, the same on canary and stable.
   */
  @WithDefault("true")
  boolean heapProfileGc();

  /** The longest a target none of whose parts answered is left alone before it is tried again. */
  @WithDefault("60s")
  Duration maxBackoff();

  /** Scrapes in flight at once, over all targets. */
  @WithDefault("8")
  int maxConcurrentScrapes();

  CpuProfiles cpuProfile();

  interface CpuProfiles {
    /**
     * Between two CPU profiles of a target ({@code /debug/pprof/profile}); {@code 0s} turns them
     * off. Slower than the scrapes: each one makes the target sample itself for {@code seconds}.
     */
    @WithDefault("30s")
    Duration every();

    /** How long each profile samples the target. */
    @WithDefault("5")
    int seconds();
  }

  Judge judge();

  /**
   * Per app: {@code gantry.monitor.apps.<app>.judge.<key>} overrides {@code
   * gantry.monitor.judge.<key>}; the keys are checked against {@link Judge}'s by AppThresholds.
   */
  Map<String, App> apps();

  interface App {
    Map<String, String> judge();
  }

  Metrics metrics();

  Host host();

  interface Host {
    /** A target's node_exporter, {@code {host}} replaced by the target's host. */
    @WithDefault("http://{host}:9100/metrics")
    String nodeExporterUrl();

    /** Host names of this machine: read with OSHI instead of a node_exporter. */
    @WithDefault("127.0.0.1,localhost,::1")
    java.util.List<String> localNames();
  }

  Kafka kafka();

  Kubernetes kubernetes();

  interface Kubernetes {
    /**
     * Scrape each ready pod behind a Kubernetes router target (found by its labels through the
     * Kubernetes API) instead of its Service. Off in the embedded default, which has no cluster.
     */
    @WithDefault("false")
    boolean enabled();

    /** Targets whose host is {@code <app>-<track>.<namespace>.<service-domain>} are Services. */
    @WithDefault("svc.cluster.local")
    String serviceDomain();
  }

  interface Judge {
    /** Scrape rounds after which a step gets its verdict (PASS needs all of them). */
    @WithDefault("12")
    int windowSamples();

    /**
     * The most rounds a step is given when its window is over but a check still has too little data
     * (too few complete canary scrapes, requests, intervals with requests or trend samples): it
     * keeps collecting until the data is there, this many rounds have been scraped or the step's
     * deadline is near, and only then ends INCONCLUSIVE. A target that stops answering ({@code
     * max-missing-in-a-row}) or a saturated host is not short of data and ends the step at once. At
     * least {@code window-samples}; the default is three windows.
     */
    @WithDefault("36")
    int maxWindowSamples();

    /** Valid canary samples a PASS needs at least; fewer is INCONCLUSIVE. */
    @WithDefault("10")
    int minValidSamples();

    /** Consecutive failed scrapes of either target that end the step as INCONCLUSIVE. */
    @WithDefault("3")
    int maxMissingInARow();

    /** Significance level of every test. */
    @WithDefault("0.01")
    double alpha();

    /** Samples in one trend window; a leak must show in two overlapping windows. */
    @WithDefault("6")
    int trendWindow();

    /** Goroutines the canary must gain over the stable's growth before a leak is a FAIL. */
    @WithDefault("20")
    double minGoroutineGrowth();

    /** In-use heap bytes the canary must gain over the stable's growth before it is a FAIL. */
    @WithDefault("67108864")
    double minHeapGrowthBytes();

    /** Requests the canary must have served in the window before its error ratio is judged. */
    @WithDefault("50")
    long minRequests();

    /** How far the canary's 5xx ratio must exceed the stable's (absolute) to FAIL. */
    @WithDefault("0.02")
    double minErrorRatioIncrease();

    /** With no stable version (a first deploy): the canary's 5xx ratio that FAILs. */
    @WithDefault("0.05")
    double maxErrorRatioWithoutStable();

    /** Intervals with requests, on each side, before latency is judged. */
    @WithDefault("5")
    int minLatencyIntervals();

    /** How many times the stable's median interval latency the canary's must reach to FAIL. */
    @WithDefault("1.5")
    double maxLatencyRatio();

    /** And by how much at least, in seconds, so that sub-millisecond noise never fails a canary. */
    @WithDefault("0.01")
    double minLatencyIncreaseSeconds();

    /** How many times the stable's median CPU per request the canary's must reach to FAIL. */
    @WithDefault("1.5")
    double maxCpuPerRequestRatio();

    /** And by how much at least, in CPU seconds per request (default 2 ms). */
    @WithDefault("0.002")
    double minCpuPerRequestIncreaseSeconds();

    /**
     * Requests the canary must serve per interval (median) before its CPU per request is judged.
     * Below that, what a process spends whatever its traffic — the runtime's GC and background
     * work, our own profiles and scrapes — outweighs a few requests' work, and CPU per request
     * measures the canary's small share of traffic instead of its code.
     */
    @WithDefault("50")
    double minCpuRequestsPerInterval();

    /** Load average per CPU from which the canary's host counts as saturated. */
    @WithDefault("1.0")
    double saturatedLoadPerCore();

    /** How much more loaded than the stable's host it must be for a FAIL to become INCONCLUSIVE. */
    @WithDefault("0.25")
    double hostLoadMargin();
  }

  interface Metrics {
    /** Counters of requests served: the first name found on a target is used. */
    @WithDefault("http_requests_total,sample_requests_total")
    java.util.List<String> requests();

    /** Counters of 5xx answers, for targets whose request counter has no status label. */
    @WithDefault("http_errors_total,sample_errors_total")
    java.util.List<String> errors();

    /** Request duration histograms (seconds): their {@code _sum} and {@code _count} are read. */
    @WithDefault("http_request_duration_seconds,http_server_requests_seconds")
    java.util.List<String> latencyHistograms();

    /** The process's CPU counter (seconds), for CPU per request. */
    @WithDefault("process_cpu_seconds_total")
    String cpuSeconds();
  }

  interface Kafka {
    @WithDefault("monitor-service")
    String groupId();

    /**
     * How long the broker waits for a silent consumer before it gives its partitions to another
     * (heartbeats every third of it). Kafka's 45 s default kept a restarted monitor from judging
     * for that long after a crash; the broker's {@code group.min.session.timeout.ms} (6 s by
     * default) is the floor.
     */
    @WithDefault("10s")
    Duration sessionTimeout();

    /**
     * Static group membership ({@code group.instance.id}): a monitor that restarts with the same id
     * takes its partitions back at once, without a rebalance and without waiting for its old
     * session to expire. Defaults to {@code monitor-service-<host name>}. Two instances that run at
     * the same time must never share it: the broker fences the older one, whose loop stops.
     */
    Optional<String> groupInstanceId();

    @WithDefault("rollout.events")
    String rolloutTopic();

    @WithDefault("analysis.verdicts")
    String verdictTopic();

    /** Where each stored sample is announced for live views (the console); see SampleNotices. */
    @WithDefault("analysis.samples")
    String sampleTopic();
  }
}

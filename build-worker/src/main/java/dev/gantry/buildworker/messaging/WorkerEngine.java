package dev.gantry.buildworker.messaging;

import dev.gantry.buildworker.build.BuildRunner;
import dev.gantry.buildworker.build.RunningBuild;
import dev.gantry.buildworker.build.Workspace;
import dev.gantry.buildworker.domain.WorkerSettings;
import dev.gantry.buildworker.gotool.Toolchain;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.MalformedEventException;
import dev.gantry.events.UnknownEventTypeException;
import dev.gantry.events.build.BuildCancelRequested;
import dev.gantry.events.build.BuildCancelled;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildStarted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * A build worker: takes BuildRequested from {@code build.requests} in a consumer group, runs up to
 * {@code concurrency} builds at once and pauses the group's partitions while full (Kafka keeps the
 * queue, not the worker's memory), publishes each build's events, and commits a request's offset
 * only after its terminal event is on {@code build.events}. A worker that dies mid-build has
 * committed nothing for it: the group hands the request to another worker.
 *
 * <p>Plain Java on purpose: Quarkus starts one; tests start more on one shared root.
 */
public final class WorkerEngine implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WorkerEngine.class);
  private static final int MAX_REMEMBERED_CANCELS = 10_000;

  private record Completion(TopicPartition tp, long offset) {}

  private static final class Active {
    final RunningBuild handle;
    final List<Completion> offsets = Collections.synchronizedList(new ArrayList<>());

    Active(RunningBuild handle) {
      this.handle = handle;
    }
  }

  private final WorkerSettings settings;
  private final Toolchain toolchain;
  private final BuildRunner runner;
  private final EventPublisher events;
  private final KafkaConsumer<String, byte[]> consumer;
  private final CancelWatcher cancels;
  private final ExecutorService builds;
  private final ExecutorService cachePool;
  private final Path socketDir;
  private final OffsetTracker tracker = new OffsetTracker();
  private final Map<String, Active> running = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final Map<String, String> cancelled =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > MAX_REMEMBERED_CANCELS;
            }
          });
  private final Thread pollThread;
  private final Thread cancelThread;
  private final AtomicLong queued = new AtomicLong();
  private final Metrics metrics;
  private volatile boolean stopping;
  private volatile Instant lastPoll = Instant.now();
  private volatile boolean assigned;

  private WorkerEngine(
      WorkerSettings settings, Toolchain toolchain, Path socketDir, MeterRegistry registry) {
    this.settings = settings;
    this.toolchain = toolchain;
    this.socketDir = socketDir;
    this.cachePool = Executors.newFixedThreadPool(8, daemon("cache"));
    this.builds = Executors.newFixedThreadPool(settings.concurrency(), daemon("build"));
    this.runner = new BuildRunner(settings, toolchain, cachePool, socketDir);
    this.events =
        new EventPublisher(
            settings.bootstrapServers(),
            settings.eventsTopic(),
            settings.source(),
            settings.workerId());
    this.consumer = new KafkaConsumer<>(consumerProps(settings));
    this.cancels =
        new CancelWatcher(
            settings.bootstrapServers(),
            settings.requestsTopic(),
            settings.workerId(),
            this::cancel);
    this.metrics = new Metrics(registry);
    this.pollThread = new Thread(this::pollLoop, "worker-poll");
    this.cancelThread = new Thread(cancels, "worker-cancels");
  }

  /**
   * Prepares the local disk (stopping what a killed predecessor left running there), probes the
   * toolchain, and starts consuming.
   */
  public static WorkerEngine start(WorkerSettings settings, MeterRegistry registry)
      throws IOException, InterruptedException {
    Files.createDirectories(settings.localDir());
    Files.createDirectories(settings.sharedRoot());
    int reaped = Workspace.reapStale(settings.localDir());
    if (reaped > 0) {
      LOG.infof("stopped %d build process group(s) left by a previous run of this worker", reaped);
    }
    Toolchain toolchain =
        Toolchain.probe(settings.goBinary(), settings.localDir(), settings.sharedRoot());
    // Unix socket paths are limited to 107 bytes: keep them short, under /tmp
    Path socketDir = Files.createTempDirectory("gw-");
    WorkerEngine engine = new WorkerEngine(settings, toolchain, socketDir, registry);
    engine.cancelThread.start();
    engine.pollThread.start();
    LOG.infof(
        "worker %s: %s, %d build(s) at once, shared root %s, local dir %s",
        settings.workerId(),
        toolchain.versionLine(),
        settings.concurrency(),
        settings.sharedRoot(),
        settings.localDir());
    return engine;
  }

  private static Properties consumerProps(WorkerSettings s) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, s.workerId() + "-requests");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // one request per poll: a full worker never holds requests another worker could run
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) s.sessionTimeout().toMillis());
    p.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        (int) Math.max(500, s.sessionTimeout().toMillis() / 4));
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return p;
  }

  private void pollLoop() {
    consumer.subscribe(List.of(settings.requestsTopic()), new Rebalance());
    long lastLag = 0;
    try {
      while (!stopping) {
        commitDone();
        if (running.size() >= settings.concurrency()) {
          consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
          consumer.resume(consumer.paused());
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          handle(r);
        }
        lastPoll = Instant.now();
        if (System.currentTimeMillis() - lastLag > 5_000) {
          measureQueue();
          lastLag = System.currentTimeMillis();
        }
      }
    } catch (WakeupException e) {
      // stopping
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.errorf(e, "the request loop stopped; the worker is no longer live");
    } finally {
      try {
        commitDone();
      } catch (RuntimeException e) {
        LOG.warnf("last commit failed: %s", e.toString());
      }
      consumer.close(Duration.ofSeconds(10));
    }
  }

  private void handle(ConsumerRecord<String, byte[]> r) throws InterruptedException {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    tracker.started(tp, r.offset());
    CloudEvent<?> event;
    try {
      event = EventCodec.decode(r);
    } catch (UnknownEventTypeException | MalformedEventException e) {
      LOG.warnf("skipping %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
      tracker.done(tp, r.offset());
      return;
    }
    if (event.data() instanceof BuildCancelRequested c) {
      cancel(c.buildId(), CancelWatcher.reasonOf(c));
      tracker.done(tp, r.offset());
      return;
    }
    if (!(event.data() instanceof BuildRequested req)) {
      tracker.done(tp, r.offset());
      return;
    }
    String reason = cancelled.get(req.buildId());
    if (reason != null) {
      LOG.infof("build %s was cancelled while queued (%s): skipped", req.buildId(), reason);
      events.publish(
          new BuildCancelled(req.buildId(), req.repo(), req.refName(), reason, Instant.now()));
      metrics.outcome("cancelled");
      tracker.done(tp, r.offset());
      return;
    }
    Completion at = new Completion(tp, r.offset());
    Active active = running.get(req.buildId());
    if (active != null) {
      synchronized (active.offsets) {
        // redelivered while still running here: one build answers both, unless it finished in
        // the meantime (then this delivery runs again and finds its artifacts in place)
        if (running.get(req.buildId()) == active) {
          active.offsets.add(at);
          return;
        }
      }
    }
    Active fresh = new Active(new RunningBuild(req.buildId(), settings.killGrace()));
    fresh.offsets.add(at);
    running.put(req.buildId(), fresh);
    builds.submit(() -> runBuild(req, fresh));
  }

  private void runBuild(BuildRequested req, Active active) {
    BuildRunner.Outcome outcome;
    try {
      events.publish(
          new BuildStarted(
              req.buildId(),
              req.repo(),
              req.refName(),
              req.commit(),
              settings.workerId(),
              Instant.now()));
      outcome = runner.run(req, active.handle, metrics::stage);
      if (outcome.succeeded() != null) {
        metrics.cache(outcome.succeeded().cache());
        events.publish(outcome.succeeded());
      } else if (outcome.failed() != null) {
        events.publish(outcome.failed());
      } else if (outcome.cancelled() != null) {
        events.publish(outcome.cancelled());
      } else {
        LOG.infof("build %s abandoned: the request stays for another worker", req.buildId());
        running.remove(req.buildId());
        return;
      }
      metrics.outcome(outcome.name());
      LOG.infof("build %s %s", req.buildId(), outcome.name());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.remove(req.buildId());
      return; // shutting down before the terminal event: redelivered to another worker
    } catch (RuntimeException e) {
      LOG.errorf(
          e, "build %s: unexpected failure; the request stays for another worker", req.buildId());
      running.remove(req.buildId());
      return;
    }
    synchronized (active.offsets) {
      running.remove(req.buildId());
      completions.addAll(active.offsets);
    }
  }

  /** A cancel for a build: remembered for when its request comes, and applied if it runs. */
  public void cancel(String buildId, String reason) {
    cancelled.put(buildId, reason);
    Active active = running.get(buildId);
    if (active != null && active.handle.cancel(reason)) {
      LOG.infof("cancelling running build %s: %s", buildId, reason);
    }
  }

  private void commitDone() {
    Completion c;
    while ((c = completions.poll()) != null) {
      tracker.done(c.tp(), c.offset());
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    offsets.keySet().retainAll(consumer.assignment());
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
      tracker.committed(offsets);
    }
  }

  private void measureQueue() {
    Set<TopicPartition> mine = consumer.assignment();
    assigned = !mine.isEmpty();
    if (mine.isEmpty()) {
      queued.set(0);
      return;
    }
    try {
      long lag = 0;
      for (Map.Entry<TopicPartition, Long> e :
          consumer.endOffsets(mine, Duration.ofSeconds(2)).entrySet()) {
        lag += Math.max(0, e.getValue() - consumer.position(e.getKey(), Duration.ofSeconds(2)));
      }
      queued.set(lag);
    } catch (RuntimeException e) {
      LOG.debugf("queue size unknown: %s", e.toString());
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        commitDone();
      } catch (RuntimeException e) {
        LOG.warnf("commit on revocation failed: %s", e.toString());
      }
      tracker.revoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = !consumer.assignment().isEmpty();
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      tracker.revoked(partitions);
    }
  }

  // --- what health checks and metrics read

  public Toolchain toolchain() {
    return toolchain;
  }

  public WorkerSettings settings() {
    return settings;
  }

  public int runningBuilds() {
    return running.size();
  }

  /** Requests waiting in this worker's partitions. */
  public long queued() {
    return queued.get();
  }

  /** The request loop polled recently (it polls every 200 ms, also while full). */
  public boolean live() {
    return pollThread.isAlive() && Duration.between(lastPoll, Instant.now()).toSeconds() < 60;
  }

  public BuildRunner runner() {
    return runner;
  }

  /**
   * Stops taking requests. Running builds are abandoned without a terminal event, so that their
   * requests, uncommitted, go to another worker; finished ones are committed first.
   */
  @Override
  public void close() {
    stopping = true;
    running.values().forEach(a -> a.handle.abandon());
    builds.shutdown();
    try {
      builds.awaitTermination(settings.killGrace().toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.wakeup();
    cancels.stop();
    try {
      pollThread.join(15_000);
      cancelThread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.close();
    cachePool.shutdownNow();
    try {
      Files.deleteIfExists(socketDir);
    } catch (IOException ignored) {
      // a temp folder
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, "worker-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The worker's meters; names are those documented in the README. */
  private final class Metrics {
    private final MeterRegistry registry;
    private final Counter localHits;
    private final Counter sharedHits;
    private final Counter misses;
    private final Counter quarantined;

    Metrics(MeterRegistry registry) {
      this.registry = registry;
      Gauge.builder("gantry_worker_builds_running", running, Map::size)
          .description("builds running on this worker")
          .register(registry);
      Gauge.builder("gantry_worker_capacity", settings, WorkerSettings::concurrency)
          .description("builds this worker runs at once")
          .register(registry);
      Gauge.builder("gantry_worker_queue", queued, AtomicLong::get)
          .description("requests waiting in this worker's partitions")
          .register(registry);
      localHits =
          Counter.builder("gantry_worker_cache_lookups")
              .tag("result", "local_hit")
              .register(registry);
      sharedHits =
          Counter.builder("gantry_worker_cache_lookups")
              .tag("result", "shared_hit")
              .register(registry);
      misses =
          Counter.builder("gantry_worker_cache_lookups").tag("result", "miss").register(registry);
      quarantined =
          Counter.builder("gantry_worker_cache_quarantined")
              .description("damaged shared cache objects set aside")
              .register(registry);
      Gauge.builder("gantry_worker_cache_hit_ratio", this, m -> m.hitRatio())
          .description("build cache hits over lookups since start")
          .register(registry);
    }

    double hitRatio() {
      double hits = localHits.count() + sharedHits.count();
      double all = hits + misses.count();
      return all == 0 ? 0 : hits / all;
    }

    void stage(String stage, Duration took) {
      Timer.builder("gantry_worker_stage")
          .tag("stage", stage)
          .publishPercentileHistogram()
          .register(registry)
          .record(took);
    }

    void outcome(String outcome) {
      Counter.builder("gantry_worker_builds")
          .tag("outcome", outcome)
          .register(registry)
          .increment();
    }

    void cache(dev.gantry.events.build.CacheStats stats) {
      long shared = stats.sharedHits() == null ? 0 : stats.sharedHits();
      localHits.increment(stats.hits() - shared);
      sharedHits.increment(shared);
      misses.increment(stats.misses());
      quarantined.increment(stats.quarantined() == null ? 0 : stats.quarantined());
    }
  }
}

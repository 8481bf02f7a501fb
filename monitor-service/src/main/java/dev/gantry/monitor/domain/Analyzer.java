package dev.gantry.monitor.domain;

import dev.gantry.events.EventCodec;
import dev.gantry.events.EventData;
import dev.gantry.events.EventTypes;
import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.RollbackRequested;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.Target;
import dev.gantry.monitor.alert.Alerter;
import dev.gantry.monitor.config.MonitorConfig;
import dev.gantry.monitor.judge.AppThresholds;
import dev.gantry.monitor.judge.Judge;
import dev.gantry.monitor.judge.Judgement;
import dev.gantry.monitor.judge.Thresholds;
import dev.gantry.monitor.messaging.SampleNotices;
import dev.gantry.monitor.messaging.VerdictPublisher;
import dev.gantry.monitor.persistence.MonitorStore;
import dev.gantry.monitor.persistence.StepRow;
import dev.gantry.monitor.persistence.StoredVerdict;
import dev.gantry.monitor.pprof.ParsedProfile.FunctionCost;
import dev.gantry.monitor.scrape.Backoff;
import dev.gantry.monitor.scrape.CpuProfile;
import dev.gantry.monitor.scrape.Fetcher;
import dev.gantry.monitor.scrape.HostProbe;
import dev.gantry.monitor.scrape.PodTargets;
import dev.gantry.monitor.scrape.Sample;
import dev.gantry.monitor.scrape.TargetScraper;
import dev.gantry.monitor.scrape.TrackScraper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs one analysis per rollout: scrapes canary and stable every interval, stores each sample, asks
 * the judge, and issues the step's one verdict (with a rollback request on FAIL). A new step of the
 * same rollout replaces the running analysis; the end of the rollout stops it.
 */
@ApplicationScoped
public class Analyzer {
  private static final Logger LOG = Logger.getLogger(Analyzer.class);
  private static final Duration REPUBLISH_AFTER = Duration.ofSeconds(10);

  @Inject MonitorConfig config;
  @Inject MonitorStore store;
  @Inject VerdictPublisher publisher;
  @Inject SampleNotices notices;
  @Inject Alerter alerter;
  @Inject Instance<KubernetesClient> kubernetes;

  private final Map<String, Running> byRollout = new ConcurrentHashMap<>();
  private ScheduledExecutorService ticks;
  private ExecutorService scrapes;
  private TrackScraper scraper;
  private Backoff backoff;
  private AppThresholds thresholds;

  @PostConstruct
  void init() {
    ticks = Executors.newScheduledThreadPool(2, daemon("monitor-tick"));
    scrapes = Executors.newFixedThreadPool(config.maxConcurrentScrapes(), daemon("monitor-scrape"));
    TargetScraper targets =
        new TargetScraper(
            new Fetcher(config.timeout()),
            config.maxProfileBytes(),
            config.maxMetricsBytes(),
            config.metrics().requests(),
            config.metrics().errors(),
            config.metrics().latencyHistograms(),
            config.metrics().cpuSeconds(),
            config.heapProfileGc(),
            new HostProbe(
                new Fetcher(config.timeout()),
                config.host().nodeExporterUrl(),
                config.maxMetricsBytes(),
                config.host().localNames(),
                config.interval().dividedBy(2)));
    // the client is only built when asked for: without a cluster it is never touched
    PodTargets pods =
        config.kubernetes().enabled()
            ? new PodTargets(kubernetes.get(), config.kubernetes().serviceDomain())
            : null;
    scraper = new TrackScraper(targets, pods);
    backoff = new Backoff(config.interval(), config.maxBackoff());
    java.util.Map<String, java.util.Map<String, String>> perApp = new java.util.HashMap<>();
    config.apps().forEach((app, settings) -> perApp.put(app, settings.judge()));
    thresholds = new AppThresholds(Thresholds.of(config.judge()), perApp);
    ticks.scheduleWithFixedDelay(this::republish, 5, 5, TimeUnit.SECONDS);
  }

  void shutdown(@Observes ShutdownEvent e) {
    ticks.shutdownNow();
    scrapes.shutdownNow();
  }

  /** Starts scraping a step, replacing whatever of its rollout was running. */
  public void start(StepRow step) {
    Running fresh = new Running(step, store.nextSeq(step.rolloutId(), step.step()));
    Running old = byRollout.put(step.rolloutId(), fresh);
    if (old != null) {
      old.cancel();
    }
    fresh.future =
        ticks.scheduleAtFixedRate(
            fresh::tick, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.infof(
        "analysing %s step %d (%s): canary %s, stable %s",
        step.app(),
        step.step(),
        step.rolloutId(),
        step.canary().baseUrl(),
        step.stable() == null ? "none" : step.stable().baseUrl());
  }

  /** Picks up the steps that were being analysed when the service stopped. */
  public void resume(List<StepRow> running) {
    running.forEach(this::start);
  }

  public void stop(String rolloutId) {
    Running r = byRollout.remove(rolloutId);
    if (r != null) {
      r.cancel();
    }
  }

  /** Rollouts being scraped now. */
  public int active() {
    return byRollout.size();
  }

  private void republish() {
    try {
      Instant before = Instant.now().minus(REPUBLISH_AFTER);
      for (StoredVerdict v : store.unpublished()) {
        if (v.issuedAt().isBefore(before)) {
          send(v);
        }
      }
    } catch (RuntimeException e) {
      LOG.warnf("cannot republish verdicts yet: %s", e.getMessage());
    }
  }

  private void send(StoredVerdict v) {
    try {
      publisher.publish(v);
      store.markPublished(v.id());
    } catch (VerdictPublisher.PublishFailed | RuntimeException e) {
      LOG.warnf("verdict %s not published yet, will retry: %s", v.id(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Running {
    private final StepRow step;
    private final List<Sample> canary = new ArrayList<>();
    private final List<Sample> stable;
    private final AtomicInteger seq;
    private final int firstSeq;
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> future;
    private final AtomicBoolean cpuInFlight = new AtomicBoolean();
    private final AtomicBoolean roundOut = new AtomicBoolean();
    private volatile long nextCpuNanos = System.nanoTime();
    private final Map<String, CpuProfile> latestCpu = new ConcurrentHashMap<>();

    Running(StepRow step, int firstSeq) {
      this.step = step;
      this.firstSeq = firstSeq;
      this.seq = new AtomicInteger(firstSeq);
      this.stable = step.stable() == null ? null : new ArrayList<>();
    }

    void cancel() {
      cancelled = true;
      if (future != null) {
        future.cancel(false);
      }
    }

    /**
     * Starts a round and returns at once: the round finishes on the scrape threads when both
     * scrapes are in, so a slow target never holds a tick thread that other rollouts need. A tick
     * that comes while the previous round is still out is skipped, never queued.
     */
    void tick() {
      if (cancelled) {
        // cancelled before its future was known: end the schedule from inside
        cancel();
        return;
      }
      if (!roundOut.compareAndSet(false, true)) {
        return;
      }
      try {
        profileCpuWhenDue();
        int n = seq.getAndIncrement();
        CompletableFuture<Sample> c = scrapeAsync(step.canary(), n);
        CompletableFuture<Sample> s =
            step.stable() == null
                ? CompletableFuture.completedFuture(null)
                : scrapeAsync(step.stable(), n);
        // on the scrape pool: a timed-out scrape completes on the JDK's single delay thread
        c.thenAcceptBothAsync(s, (cs, ss) -> finish(n, cs, ss), scrapes)
            .whenComplete(
                (done, failed) -> {
                  roundOut.set(false);
                  if (failed != null) {
                    // a database hiccup: this round is lost, the next one tries again
                    LOG.warnf(
                        failed,
                        "analysis of %s step %d: round failed",
                        step.rolloutId(),
                        step.step());
                  }
                });
      } catch (RuntimeException e) {
        roundOut.set(false);
        LOG.warnf(e, "analysis of %s step %d: round not started", step.rolloutId(), step.step());
      }
    }

    private CompletableFuture<Sample> scrapeAsync(Target target, int n) {
      String key = target.baseUrl();
      Optional<String> wait = backoff.skip(key, System.nanoTime());
      if (wait.isPresent()) {
        return CompletableFuture.completedFuture(
            Sample.missing(target.track(), n, Instant.now(), wait.get()));
      }
      // two profiles, the metrics page and the host's node_exporter, one after the other
      long limitMs = config.timeout().toMillis() * 4 + 1000;
      return CompletableFuture.supplyAsync(() -> scrape(target, n), scrapes)
          .completeOnTimeout(null, limitMs, TimeUnit.MILLISECONDS)
          .exceptionally(
              e -> Sample.missing(target.track(), n, Instant.now(), "scrape failed: " + e))
          .thenApply(
              sample -> {
                Sample done =
                    sample != null
                        ? sample
                        : Sample.missing(
                            target.track(),
                            n,
                            Instant.now(),
                            "scrape took longer than " + limitMs + " ms");
                backoff.record(key, done, System.nanoTime());
                return done;
              });
    }

    private Sample scrape(Target target, int n) {
      try {
        return scraper.scrape(target, n);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
    }

    private void finish(int n, Sample cs, Sample ss) {
      if (cancelled) {
        return;
      }
      store.saveSample(step.rolloutId(), step.step(), cs);
      notices.stored(step.rolloutId(), step.app(), step.step(), cs);
      canary.add(cs.withoutRawProfile());
      if (ss != null) {
        store.saveSample(step.rolloutId(), step.step(), ss);
        notices.stored(step.rolloutId(), step.app(), step.step(), ss);
        stable.add(ss.withoutRawProfile());
      }
      int rounds = n - firstSeq + 1;
      Instant now = Instant.now();
      Thresholds th = thresholds.of(step.app());
      boolean deadlineNear =
          step.deadline() != null
              && now.plus(config.interval().multipliedBy(2)).isAfter(step.deadline());
      new Judge(th).evaluate(canary, stable, rounds, deadlineNear).ifPresent(this::issue);
    }

    /**
     * Starts CPU profiles of canary and stable together, so they cover the same seconds, and
     * returns at once: they take seconds by design and must not hold up the round.
     */
    private void profileCpuWhenDue() {
      Duration every = config.cpuProfile().every();
      if (every.isZero()
          || System.nanoTime() - nextCpuNanos < 0
          || !cpuInFlight.compareAndSet(false, true)) {
        return;
      }
      nextCpuNanos = System.nanoTime() + every.toNanos();
      List<Target> targets =
          step.stable() == null ? List.of(step.canary()) : List.of(step.canary(), step.stable());
      List<CompletableFuture<CpuProfile>> profiles = new ArrayList<>();
      try {
        for (Target t : targets) {
          profiles.add(CompletableFuture.supplyAsync(() -> cpuProfile(t), scrapes));
        }
      } catch (java.util.concurrent.RejectedExecutionException e) {
        cpuInFlight.set(false);
        return;
      }
      CompletableFuture.allOf(profiles.toArray(CompletableFuture[]::new))
          .whenComplete(
              (done, failed) -> {
                try {
                  for (CompletableFuture<CpuProfile> f : profiles) {
                    CpuProfile p = f.isCompletedExceptionally() ? null : f.join();
                    if (p == null || cancelled) {
                      continue;
                    }
                    if (!p.missing()) {
                      store.saveCpuProfile(step.rolloutId(), step.step(), p);
                    }
                    latestCpu.put(p.track(), p);
                  }
                } catch (RuntimeException e) {
                  LOG.warnf("CPU profile of %s not stored: %s", step.rolloutId(), e.getMessage());
                } finally {
                  cpuInFlight.set(false);
                }
              });
    }

    private CpuProfile cpuProfile(Target t) {
      try {
        return scraper.cpuProfile(t, config.cpuProfile().seconds(), config.timeout());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
    }

    /** Where canary and stable spent their CPU in the last profiles: for people, not judged. */
    private Optional<Evidence> cpuEvidence() {
      CpuProfile c = latestCpu.get(step.canary().track());
      if (c == null || c.missing()) {
        return Optional.empty();
      }
      CpuProfile s = step.stable() == null ? null : latestCpu.get(step.stable().track());
      boolean withStable = s != null && !s.missing();
      Map<String, Long> stableFlat = new java.util.HashMap<>();
      if (withStable) {
        s.top().forEach(f -> stableFlat.put(f.function(), f.flat()));
      }
      List<Evidence.GrownStack> top = new ArrayList<>();
      for (FunctionCost f : c.top().subList(0, Math.min(5, c.top().size()))) {
        top.add(
            new Evidence.GrownStack(
                f.function(), f.flat(), stableFlat.getOrDefault(f.function(), 0L)));
      }
      return Optional.of(
          new Evidence(
              "cpu_profile",
              Verdict.PASS,
              c.cores(),
              withStable ? s.cores() : null,
              null,
              "cores",
              "CPU profile, shown not judged: canary "
                  + c.summary()
                  + (s == null ? "" : "; stable " + s.summary()),
              top,
              "pprof-cpu",
              null,
              null));
    }

    private void issue(Judgement judged) {
      List<Evidence> evidence = new ArrayList<>(judged.evidence());
      cpuEvidence().ifPresent(evidence::add);
      Judgement j = judged.withEvidence(List.copyOf(evidence));
      Instant now = Instant.now();
      Instant windowStart = canary.isEmpty() ? now : canary.get(0).takenAt();
      List<StoredVerdict> events = new ArrayList<>();
      events.add(
          stored(
              j,
              new AnalysisVerdict(
                  step.rolloutId(),
                  step.app(),
                  step.step(),
                  step.canaryVersion(),
                  step.stableVersion(),
                  j.verdict(),
                  j.evidence(),
                  windowStart,
                  now,
                  now,
                  step.canaryCommit(),
                  step.canaryBuildId()),
              now));
      if (j.verdict() == Verdict.FAIL) {
        events.add(
            stored(
                j,
                new RollbackRequested(
                    step.rolloutId(),
                    step.app(),
                    step.canaryVersion(),
                    step.stableVersion(),
                    j.reason(),
                    j.evidence(),
                    now,
                    step.step(),
                    step.canaryCommit(),
                    step.canaryBuildId()),
                now));
      }
      // the verdict and the incidents it opens are stored together: a crash cannot lose the page
      store.saveVerdict(
          events,
          c -> {
            if (j.verdict() == Verdict.FAIL) {
              alerter.failed(
                  c,
                  step.app(),
                  step.rolloutId(),
                  step.step(),
                  step.canaryVersion(),
                  step.stableVersion(),
                  j.evidence(),
                  "rollback requested");
            }
            return null;
          });
      cancel();
      byRollout.remove(step.rolloutId(), this);
      LOG.infof(
          "%s step %d of %s: %s — %s",
          step.app(), step.step(), step.rolloutId(), j.verdict(), j.reason());
      events.forEach(Analyzer.this::send);
      if (j.verdict() == Verdict.FAIL) {
        alerter.wake();
      }
    }

    private StoredVerdict stored(Judgement j, EventData data, Instant now) {
      return new StoredVerdict(
          UUID.randomUUID().toString(),
          step.rolloutId(),
          step.step(),
          step.app(),
          j.verdict().name(),
          j.reason(),
          EventTypes.typeOf(data.getClass()),
          new String(EventCodec.encodeData(data), StandardCharsets.UTF_8),
          now,
          null);
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

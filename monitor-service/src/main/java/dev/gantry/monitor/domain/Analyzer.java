package dev.gantry.monitor.domain;

import dev.gantry.events.EventCodec;
import dev.gantry.events.EventData;
import dev.gantry.events.EventTypes;
import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.RollbackRequested;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.Target;
import dev.gantry.monitor.alert.Alerter;
import dev.gantry.monitor.config.MonitorConfig;
import dev.gantry.monitor.judge.Judge;
import dev.gantry.monitor.judge.Judgement;
import dev.gantry.monitor.judge.Thresholds;
import dev.gantry.monitor.messaging.VerdictPublisher;
import dev.gantry.monitor.persistence.MonitorStore;
import dev.gantry.monitor.persistence.StepRow;
import dev.gantry.monitor.persistence.StoredVerdict;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  @Inject Alerter alerter;
  @Inject Instance<KubernetesClient> kubernetes;

  private final Map<String, Running> byRollout = new ConcurrentHashMap<>();
  private ScheduledExecutorService ticks;
  private ExecutorService scrapes;
  private TrackScraper scraper;
  private Judge judge;

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
    judge = new Judge(Thresholds.of(config.judge()));
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

    void tick() {
      try {
        if (cancelled) {
          // cancelled before its future was known: end the schedule from inside
          cancel();
          return;
        }
        int n = seq.getAndIncrement();
        Future<Sample> c = scrapes.submit(() -> scraper.scrape(step.canary(), n));
        Future<Sample> s =
            step.stable() == null ? null : scrapes.submit(() -> scraper.scrape(step.stable(), n));
        Sample cs = await(c, step.canary(), n);
        Sample ss = s == null ? null : await(s, step.stable(), n);
        if (cancelled) {
          return;
        }
        store.saveSample(step.rolloutId(), step.step(), cs);
        canary.add(cs.withoutRawProfile());
        if (ss != null) {
          store.saveSample(step.rolloutId(), step.step(), ss);
          stable.add(ss.withoutRawProfile());
        }
        int rounds = n - firstSeq + 1;
        Instant now = Instant.now();
        boolean complete =
            rounds >= config.judge().windowSamples()
                || (step.deadline() != null
                    && now.plus(config.interval().multipliedBy(2)).isAfter(step.deadline()));
        judge.evaluate(canary, stable, complete).ifPresent(this::issue);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // a database hiccup: this round is lost, the next one tries again
        LOG.warnf(e, "analysis of %s step %d: round failed", step.rolloutId(), step.step());
      }
    }

    private Sample await(Future<Sample> f, Target target, int n) throws InterruptedException {
      long limitMs = config.timeout().toMillis() * 3 + 1000;
      try {
        return f.get(limitMs, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        f.cancel(true);
        return Sample.missing(
            target.track(), n, Instant.now(), "scrape took longer than " + limitMs + " ms");
      } catch (ExecutionException e) {
        return Sample.missing(target.track(), n, Instant.now(), "scrape failed: " + e.getCause());
      }
    }

    private void issue(Judgement j) {
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
      store.saveVerdict(events);
      cancel();
      byRollout.remove(step.rolloutId(), this);
      LOG.infof(
          "%s step %d of %s: %s — %s",
          step.app(), step.step(), step.rolloutId(), j.verdict(), j.reason());
      events.forEach(Analyzer.this::send);
      if (j.verdict() == Verdict.FAIL) {
        alerter.failed(
            step.app(),
            step.rolloutId(),
            step.step(),
            step.canaryVersion(),
            step.stableVersion(),
            j.evidence(),
            "rollback requested");
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

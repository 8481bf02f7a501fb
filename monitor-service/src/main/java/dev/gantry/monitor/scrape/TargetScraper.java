package dev.gantry.monitor.scrape;

import dev.gantry.events.rollout.Target;
import dev.gantry.monitor.pprof.BadProfileException;
import dev.gantry.monitor.pprof.ParsedProfile;
import dev.gantry.monitor.pprof.ProfileParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scrapes one target once: its goroutine and heap profiles and its Prometheus page. Each part that
 * fails leaves its values null and adds its reason; nothing here throws for a bad target.
 */
public final class TargetScraper {
  private final Fetcher fetcher;
  private final ProfileParser parser;
  private final int maxProfileBytes;
  private final int maxMetricsBytes;
  private final List<String> requestCounters;
  private final List<String> errorCounters;
  private final List<String> latencyHistograms;
  private final String cpuCounter;
  private final String heapPath;
  private final HostProbe hosts;

  public TargetScraper(
      Fetcher fetcher,
      int maxProfileBytes,
      int maxMetricsBytes,
      List<String> requestCounters,
      List<String> errorCounters,
      List<String> latencyHistograms,
      String cpuCounter,
      boolean heapGc,
      HostProbe hosts) {
    this.fetcher = fetcher;
    this.parser = new ProfileParser(maxProfileBytes);
    this.maxProfileBytes = maxProfileBytes;
    this.maxMetricsBytes = maxMetricsBytes;
    this.requestCounters = requestCounters;
    this.errorCounters = errorCounters;
    this.latencyHistograms = latencyHistograms;
    this.cpuCounter = cpuCounter;
    this.heapPath = heapGc ? "/heap?gc=1" : "/heap";
    this.hosts = hosts;
  }

  public Sample scrape(Target target, int seq) throws InterruptedException {
    Instant at = Instant.now();
    List<String> reasons = new ArrayList<>();
    Double goroutines = null;
    Double heap = null;
    Double heapObjects = null;
    Map<String, Long> stacks = null;
    byte[] rawGoroutines = null;
    if (target.pprofUrl() != null) {
      String base = stripSlash(target.pprofUrl());
      try {
        rawGoroutines = fetcher.get(base + "/goroutine", maxProfileBytes);
        ParsedProfile p = parser.parse(rawGoroutines);
        int index = p.indexOf("goroutine");
        if (index < 0) {
          throw new BadProfileException("not a goroutine profile: " + p.sampleTypes());
        }
        goroutines = (double) p.totals()[index];
        // text only for the samples whose stacks are shown: those of a failing window
        stacks = p.lazyStackValues(index);
      } catch (Fetcher.FetchFailed | BadProfileException e) {
        rawGoroutines = null;
        reasons.add("goroutine profile: " + e.getMessage());
      }
      try {
        ParsedProfile p = parser.parse(fetcher.get(base + heapPath, maxProfileBytes));
        long inuse = p.total("inuse_space");
        if (inuse < 0) {
          throw new BadProfileException("no inuse_space in " + p.sampleTypes());
        }
        heap = (double) inuse;
        long objects = p.total("inuse_objects");
        heapObjects = objects < 0 ? null : (double) objects;
      } catch (Fetcher.FetchFailed | BadProfileException e) {
        reasons.add("heap profile: " + e.getMessage());
      }
    }
    Double requests = null;
    Double errors = null;
    Double latencySum = null;
    Double latencyCount = null;
    Double cpuSeconds = null;
    Double goGoroutines = null;
    Double rss = null;
    if (target.metricsUrl() != null) {
      try {
        List<PromText.Series> page =
            PromText.parse(fetcher.get(target.metricsUrl(), maxMetricsBytes));
        RequestCounts counts = RequestCounts.of(page, requestCounters, errorCounters);
        requests = counts.requests();
        errors = counts.errors();
        cpuSeconds = RequestCounts.sum(page, cpuCounter);
        goGoroutines = RequestCounts.sum(page, "go_goroutines");
        rss = RequestCounts.sum(page, "process_resident_memory_bytes");
        // a histogram is optional: without one, latency is simply not judged
        for (String name : latencyHistograms) {
          Double sum = RequestCounts.sum(page, name + "_sum");
          Double count = RequestCounts.sum(page, name + "_count");
          if (sum != null && count != null) {
            latencySum = sum;
            latencyCount = count;
            break;
          }
        }
      } catch (Fetcher.FetchFailed | PromText.Unparsable | RequestCounts.NotFound e) {
        reasons.add("metrics: " + e.getMessage());
      }
    }
    return new Sample(
        target.track(),
        seq,
        at,
        goroutines,
        heap,
        requests,
        errors,
        latencySum,
        latencyCount,
        cpuSeconds,
        hosts == null ? null : hosts.loadPerCore(target.host()),
        reasons.isEmpty() ? null : String.join("; ", reasons),
        stacks,
        rawGoroutines,
        goGoroutines,
        rss,
        heapObjects);
  }

  /**
   * A CPU profile over {@code seconds}: the target answers when they are over, so its deadline is
   * that long plus the usual timeout. Null when the target has no pprof.
   */
  public CpuProfile cpuProfile(Target target, int seconds, Duration timeout)
      throws InterruptedException {
    if (target.pprofUrl() == null) {
      return null;
    }
    Instant at = Instant.now();
    String url = stripSlash(target.pprofUrl()) + "/profile?seconds=" + seconds;
    try {
      byte[] raw = fetcher.get(url, maxProfileBytes, timeout.plusSeconds(seconds));
      ParsedProfile p = parser.parse(raw);
      int cpu = p.indexOf("cpu");
      if (cpu < 0) {
        throw new BadProfileException("not a CPU profile: " + p.sampleTypes());
      }
      return new CpuProfile(
          target.track(),
          at,
          seconds,
          raw,
          p.totals()[cpu],
          p.total("samples"),
          p.topFunctions(cpu, CpuProfile.TOP),
          null);
    } catch (Fetcher.FetchFailed | BadProfileException e) {
      return new CpuProfile(
          target.track(), at, seconds, null, 0, 0, List.of(), "cpu profile: " + e.getMessage());
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}

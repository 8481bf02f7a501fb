package dev.gantry.monitor.scrape;

import dev.gantry.events.rollout.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Scrapes one track of a step: its target itself, or, for a Service of the Kubernetes router, each
 * ready pod behind it, merged into one sample. A part that failed on any pod is missing for the
 * whole track: a sum over the pods that answered would read as a drop.
 */
public final class TrackScraper {
  private final TargetScraper scraper;
  private final PodTargets pods;

  /**
   * @param pods null when pod discovery is off: every target is scraped as it is
   */
  public TrackScraper(TargetScraper scraper, PodTargets pods) {
    this.scraper = scraper;
    this.pods = pods;
  }

  public Sample scrape(Target target, int seq) throws InterruptedException {
    Optional<PodTargets.Service> service = pods == null ? Optional.empty() : pods.serviceOf(target);
    if (service.isEmpty()) {
      return scraper.scrape(target, seq);
    }
    Instant at = Instant.now();
    List<Target> ready;
    try {
      ready = pods.ready(target, service.get());
    } catch (PodTargets.DiscoveryFailed e) {
      return Sample.missing(target.track(), seq, at, e.getMessage());
    }
    if (ready.isEmpty()) {
      return Sample.missing(
          target.track(),
          seq,
          at,
          "no ready pod "
              + service.get().selector()
              + " in namespace "
              + service.get().namespace());
    }
    List<Sample> each = new ArrayList<>();
    for (Target pod : ready) {
      each.add(scraper.scrape(pod, seq));
    }
    return merge(target.track(), seq, at, ready, each);
  }

  /** A CPU profile of the target, or of the first ready pod behind a Service target. */
  public CpuProfile cpuProfile(Target target, int seconds, java.time.Duration timeout)
      throws InterruptedException {
    Optional<PodTargets.Service> service = pods == null ? Optional.empty() : pods.serviceOf(target);
    if (service.isEmpty()) {
      return scraper.cpuProfile(target, seconds, timeout);
    }
    try {
      List<Target> ready = pods.ready(target, service.get());
      return ready.isEmpty() ? null : scraper.cpuProfile(ready.get(0), seconds, timeout);
    } catch (PodTargets.DiscoveryFailed e) {
      return null;
    }
  }

  /** Counters add up over pods; goroutines and heap are per pod (replica counts differ). */
  static Sample merge(String track, int seq, Instant at, List<Target> pods, List<Sample> each) {
    if (each.size() == 1) {
      return each.get(0);
    }
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < each.size(); i++) {
      if (each.get(i).missing()) {
        reasons.add("pod " + pods.get(i).baseUrl() + ": " + each.get(i).missingReason());
      }
    }
    return new Sample(
        track,
        seq,
        at,
        mean(each, Sample::goroutines),
        mean(each, Sample::heapInuseBytes),
        sum(each, Sample::requests),
        sum(each, Sample::errors),
        sum(each, Sample::latencySum),
        sum(each, Sample::latencyCount),
        sum(each, Sample::cpuSeconds),
        each.stream()
            .map(Sample::hostLoadPerCore)
            .filter(v -> v != null)
            .max(Double::compare)
            .orElse(null),
        reasons.isEmpty() ? null : String.join("; ", reasons),
        stacks(each),
        each.get(0).goroutineProfile(),
        mean(each, Sample::goGoroutines),
        mean(each, Sample::rssBytes),
        mean(each, Sample::heapInuseObjects));
  }

  private static Double sum(List<Sample> each, Function<Sample, Double> value) {
    double total = 0;
    for (Sample s : each) {
      Double v = value.apply(s);
      if (v == null) {
        return null;
      }
      total += v;
    }
    return total;
  }

  private static Double mean(List<Sample> each, Function<Sample, Double> value) {
    Double total = sum(each, value);
    return total == null ? null : total / each.size();
  }

  private static Map<String, Long> stacks(List<Sample> each) {
    Map<String, Long> out = new HashMap<>();
    for (Sample s : each) {
      if (s.goroutineStacks() == null) {
        return null;
      }
      s.goroutineStacks().forEach((k, v) -> out.merge(k, v, Long::sum));
    }
    return out;
  }
}

package dev.gantry.monitor.scrape;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-target back-off: a target none of whose parts answered is left alone for two intervals, then
 * four, eight, … up to {@code max}, so a dead or hanging target stops taking scrape threads from
 * the healthy ones. Its skipped rounds are missing data with the reason, as a failed scrape would
 * be.
 */
public final class Backoff {
  private record State(int failures, long notBeforeNanos, String lastReason) {}

  private final long intervalNanos;
  private final long maxNanos;
  private final Map<String, State> byTarget = new ConcurrentHashMap<>();

  public Backoff(Duration interval, Duration max) {
    this.intervalNanos = interval.toNanos();
    this.maxNanos = Math.max(max.toNanos(), intervalNanos);
  }

  /** Why {@code target} is not to be scraped now, or empty when it is. */
  public Optional<String> skip(String target, long nowNanos) {
    State s = byTarget.get(target);
    if (s == null || nowNanos - s.notBeforeNanos() >= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "not scraped: backing off after "
            + s.failures()
            + " failed scrape"
            + (s.failures() == 1 ? "" : "s")
            + " ("
            + s.lastReason()
            + ")");
  }

  /** Records a scrape's outcome; a target that answered anything starts afresh. */
  public void record(String target, Sample sample, long nowNanos) {
    if (!nothingAnswered(sample)) {
      byTarget.remove(target);
      return;
    }
    byTarget.compute(
        target,
        (k, old) -> {
          int failures = old == null ? 1 : old.failures() + 1;
          // from two intervals: a hanging scrape takes longer than one, so one would skip nothing
          long wait = Math.min(maxNanos, intervalNanos << Math.min(failures, 20));
          // a little less than the wait, so the round that is due then is not skipped by jitter
          return new State(failures, nowNanos + wait - intervalNanos / 2, sample.missingReason());
        });
  }

  private static boolean nothingAnswered(Sample s) {
    return s.missing()
        && s.goroutines() == null
        && s.heapInuseBytes() == null
        && s.requests() == null
        && s.goGoroutines() == null;
  }
}

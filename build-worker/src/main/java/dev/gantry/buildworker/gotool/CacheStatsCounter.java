package dev.gantry.buildworker.gotool;

import dev.gantry.events.build.CacheStats;
import java.util.concurrent.atomic.AtomicLong;

/** Lookups of one build against the two cache tiers. */
public final class CacheStatsCounter {
  final AtomicLong localHits = new AtomicLong();
  final AtomicLong sharedHits = new AtomicLong();
  final AtomicLong misses = new AtomicLong();
  final AtomicLong puts = new AtomicLong();
  final AtomicLong published = new AtomicLong();
  final AtomicLong quarantined = new AtomicLong();
  final AtomicLong publishFailures = new AtomicLong();
  final AtomicLong compileHits = new AtomicLong();
  final AtomicLong compileMisses = new AtomicLong();
  final AtomicLong localNanos = new AtomicLong();
  final AtomicLong sharedNanos = new AtomicLong();
  final AtomicLong missNanos = new AtomicLong();

  public long localHits() {
    return localHits.get();
  }

  public long sharedHits() {
    return sharedHits.get();
  }

  public long misses() {
    return misses.get();
  }

  public long quarantined() {
    return quarantined.get();
  }

  public long published() {
    return published.get();
  }

  public CacheStats toEvent() {
    return new CacheStats(
        localHits.get() + sharedHits.get(),
        misses.get(),
        sharedHits.get(),
        quarantined.get(),
        compileHits.get(),
        compileMisses.get());
  }

  @Override
  public String toString() {
    return String.format(
        "cache: %d local hits, %d shared hits, %d misses (compiled packages: %d from cache, %d"
            + " compiled), %d new objects (%d published to the shared tier), %d damaged objects"
            + " quarantined; lookups took %d ms (local), %d ms (shared), %d ms (misses) in all",
        localHits.get(),
        sharedHits.get(),
        misses.get(),
        compileHits.get(),
        compileMisses.get(),
        puts.get(),
        published.get(),
        quarantined.get(),
        localNanos.get() / 1_000_000,
        sharedNanos.get() / 1_000_000,
        missNanos.get() / 1_000_000);
  }
}

package dev.gantry.events.build;

/**
 * Go build cache lookups of one build.
 *
 * @param hits lookups answered from a cache, local or shared
 * @param misses lookups that had to compile (or run) the action
 * @param sharedHits of {@code hits}, those served by the shared tier on the shared root; null when
 *     unknown
 * @param quarantined shared objects found damaged (wrong size or hash) and set aside, never used;
 *     null when unknown
 */
public record CacheStats(long hits, long misses, Long sharedHits, Long quarantined) {
  public CacheStats(long hits, long misses) {
    this(hits, misses, null, null);
  }

  /** Hits over lookups, 0 when there were none. */
  public double hitRatio() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }
}

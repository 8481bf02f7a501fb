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
 * @param compileHits of {@code hits}, compiled packages (the rest are the go command's own
 *     bookkeeping, such as its module index); null when unknown
 * @param compileMisses of {@code misses}, packages that had to be compiled; null when unknown
 */
public record CacheStats(
    long hits,
    long misses,
    Long sharedHits,
    Long quarantined,
    Long compileHits,
    Long compileMisses) {
  public CacheStats(long hits, long misses) {
    this(hits, misses, null, null, null, null);
  }

  /** Compiled packages served from a cache over packages needed; -1 when unknown. */
  public double compileHitRatio() {
    if (compileHits == null || compileMisses == null) {
      return -1;
    }
    long lookups = compileHits + compileMisses;
    return lookups == 0 ? 0 : (double) compileHits / lookups;
  }

  /** Hits over lookups, 0 when there were none. */
  public double hitRatio() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }
}

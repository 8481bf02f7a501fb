package dev.gantry.events.build;

/** Shared build cache and module cache hits and misses of one build. */
public record CacheStats(long hits, long misses) {}

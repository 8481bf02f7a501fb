package dev.gantry.monitor.persistence;

import dev.gantry.events.rollout.Target;
import java.time.Instant;

/** One rollout step's analysis as stored: what is scraped, and whether it still is. */
public record StepRow(
    String rolloutId,
    int step,
    String app,
    int weight,
    String canaryVersion,
    String stableVersion,
    String canaryCommit,
    String canaryBuildId,
    Target canary,
    Target stable,
    Instant startedAt,
    Instant deadline,
    String state,
    String stopReason) {

  public static final String RUNNING = "RUNNING";
  public static final String DONE = "DONE";
  public static final String STOPPED = "STOPPED";
}

package dev.gantry.monitor.scrape;

import java.time.Instant;
import java.util.Map;

/**
 * One scrape of one target. A value is null when it could not be read; {@code missingReason} then
 * says why. A failed scrape is missing data, never zero.
 *
 * @param latencySum the {@code _sum} of the request duration histogram (seconds), when exposed
 * @param latencyCount its {@code _count}
 * @param cpuSeconds the process's {@code process_cpu_seconds_total}, when exposed
 * @param hostLoadPerCore the 1-minute load average per CPU of the target's host, when known
 * @param goroutineStacks folded goroutine stacks to their count, when the profile was read
 * @param goroutineProfile the raw profile as the target sent it, kept for {@code go tool pprof}
 * @param goGoroutines {@code go_goroutines} from the target's metrics, when exposed
 * @param rssBytes {@code process_resident_memory_bytes}, when exposed
 * @param heapInuseObjects the heap profile's {@code inuse_objects}
 */
public record Sample(
    String track,
    int seq,
    Instant takenAt,
    Double goroutines,
    Double heapInuseBytes,
    Double requests,
    Double errors,
    Double latencySum,
    Double latencyCount,
    Double cpuSeconds,
    Double hostLoadPerCore,
    String missingReason,
    Map<String, Long> goroutineStacks,
    byte[] goroutineProfile,
    Double goGoroutines,
    Double rssBytes,
    Double heapInuseObjects) {

  /** A sample without the runtime figures that only some targets' metrics have. */
  public Sample(
      String track,
      int seq,
      Instant takenAt,
      Double goroutines,
      Double heapInuseBytes,
      Double requests,
      Double errors,
      Double latencySum,
      Double latencyCount,
      Double cpuSeconds,
      Double hostLoadPerCore,
      String missingReason,
      Map<String, Long> goroutineStacks,
      byte[] goroutineProfile) {
    this(
        track,
        seq,
        takenAt,
        goroutines,
        heapInuseBytes,
        requests,
        errors,
        latencySum,
        latencyCount,
        cpuSeconds,
        hostLoadPerCore,
        missingReason,
        goroutineStacks,
        goroutineProfile,
        null,
        null,
        null);
  }

  /** A scrape that yielded nothing, and why. */
  public static Sample missing(String track, int seq, Instant at, String reason) {
    Double none = null;
    return new Sample(
        track, seq, at, none, none, none, none, none, none, none, none, reason, null, null);
  }

  public boolean missing() {
    return missingReason != null;
  }

  /** The same sample without the raw profile, once it is stored: the stacks stay for the judge. */
  public Sample withoutRawProfile() {
    return new Sample(
        track,
        seq,
        takenAt,
        goroutines,
        heapInuseBytes,
        requests,
        errors,
        latencySum,
        latencyCount,
        cpuSeconds,
        hostLoadPerCore,
        missingReason,
        goroutineStacks,
        null,
        goGoroutines,
        rssBytes,
        heapInuseObjects);
  }
}

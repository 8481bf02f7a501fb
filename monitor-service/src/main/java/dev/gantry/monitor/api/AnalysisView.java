package dev.gantry.monitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.events.rollout.Target;
import dev.gantry.monitor.persistence.MonitorStore;
import java.time.Instant;
import java.util.List;

/** What {@code GET /analyses} and {@code GET /analyses/{rolloutId}} return. */
public final class AnalysisView {
  private AnalysisView() {}

  /** One step's analysis in a list. */
  public record Summary(
      String rolloutId,
      String app,
      int step,
      int weight,
      String canaryVersion,
      String stableVersion,
      String state,
      String stopReason,
      String verdict,
      Instant startedAt) {}

  /** A rollout's analyses: each step's series and every verdict issued. */
  public record Rollout(String rolloutId, String app, List<Step> steps, List<Issued> verdicts) {}

  public record Step(
      int step,
      int weight,
      String canaryVersion,
      String stableVersion,
      String canaryCommit,
      String canaryBuildId,
      String state,
      String stopReason,
      Instant startedAt,
      Instant deadline,
      Target canaryTarget,
      Target stableTarget,
      Series canary,
      Series stable,
      List<Profile> cpuProfiles) {}

  /**
   * A CPU profile taken during the step: its summary, its top functions (flat and cumulative share
   * of the profile's CPU, most flat first), and the raw file at {@code link}.
   */
  public record Profile(
      String track, Instant at, String summary, List<MonitorStore.TopFunction> top, String link) {}

  /** One track's samples; a failed scrape is a point with null values and its reason. */
  public record Series(List<Point> points) {}

  public record Point(
      int seq,
      Instant at,
      Double goroutines,
      Double heapInuseBytes,
      Double requests,
      Double errors,
      String missingReason,
      String profile,
      Double latencySum,
      Double latencyCount,
      Double hostLoadPerCore,
      Double cpuSeconds,
      Double goGoroutines,
      Double rssBytes,
      Double heapInuseObjects) {}

  /**
   * A verdict or rollback request as it was published.
   *
   * @param event the CloudEvent data, exactly as sent on {@code analysis.verdicts}
   */
  public record Issued(
      String id,
      int step,
      String type,
      String verdict,
      String reason,
      Instant issuedAt,
      Instant publishedAt,
      JsonNode event) {}
}

package dev.gantry.buildapi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.gantry.buildapi.domain.BuildStatus;
import dev.gantry.buildapi.persistence.BuildEntity;
import dev.gantry.events.EventCodec;
import dev.gantry.events.build.Artifact;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A build as developers see it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildView(
    String id,
    String repo,
    String repoId,
    String app,
    String provider,
    String ref,
    String refType,
    String refName,
    String commit,
    String message,
    String author,
    BuildStatus status,
    String trigger,
    String deliveryId,
    String version,
    String skipReason,
    Cancel cancel,
    String worker,
    String toolchain,
    List<Artifact> artifacts,
    Map<String, Long> stageMillis,
    Cache cache,
    Failure error,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Map<String, String> links) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Failure(String stage, Integer exitCode, String message, List<String> logTail) {}

  public record Cancel(Instant requestedAt, String reason) {}

  public static BuildView of(BuildEntity b) {
    String self = "/builds/" + b.id;
    Map<String, String> links =
        b.status.isActive()
            ? Map.of(
                "self",
                self,
                "log",
                self + "/log",
                "logStream",
                self + "/log/stream",
                "cancel",
                self + "/cancel")
            : Map.of("self", self, "log", self + "/log", "logStream", self + "/log/stream");
    if (b.repoId != null) {
      links = new java.util.LinkedHashMap<>(links);
      links.put("repo", "/repos/" + b.repoId);
    }
    return new BuildView(
        b.id.toString(),
        b.repoKey,
        b.repoId == null ? null : b.repoId.toString(),
        b.appName,
        b.provider,
        b.ref,
        b.refType.name(),
        b.refName,
        b.commitSha,
        b.message,
        b.author,
        b.status,
        b.trigger,
        b.deliveryId,
        b.version,
        b.skipReason,
        b.cancelRequestedAt == null ? null : new Cancel(b.cancelRequestedAt, b.cancelReason),
        b.worker,
        b.toolchain,
        read(b.artifacts, new TypeReference<List<Artifact>>() {}),
        read(b.stageMillis, new TypeReference<Map<String, Long>>() {}),
        b.cacheHits == null ? null : new Cache(b.cacheHits, b.cacheMisses),
        b.errorStage == null && b.errorMessage == null
            ? null
            : new Failure(
                b.errorStage,
                b.errorExitCode,
                b.errorMessage,
                read(b.errorLogTail, new TypeReference<List<String>>() {})),
        b.createdAt,
        b.startedAt,
        b.finishedAt,
        links);
  }

  private static <T> T read(String json, TypeReference<T> type) {
    if (json == null) {
      return null;
    }
    try {
      return EventCodec.mapper().readValue(json, type);
    } catch (Exception e) {
      throw new IllegalStateException("stored build JSON is unreadable", e);
    }
  }

  /** Go build cache lookups of the build: served from a cache, or computed. */
  public record Cache(long hits, long misses) {}
}

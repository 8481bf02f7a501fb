package dev.gantry.buildapi.persistence;

import dev.gantry.buildapi.domain.BuildStatus;
import dev.gantry.events.build.RefType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "builds")
public class BuildEntity {
  @Id public UUID id;

  @Column(name = "repo_id")
  public UUID repoId;

  @Column(name = "repo_key")
  public String repoKey;

  @Column(name = "clone_url")
  public String cloneUrl;

  public String provider;

  @Column(name = "app_name")
  public String appName;

  public String ref;

  @Enumerated(EnumType.STRING)
  @Column(name = "ref_type")
  public RefType refType;

  @Column(name = "ref_name")
  public String refName;

  @Column(name = "commit_sha")
  public String commitSha;

  public String message;
  public String author;

  @Enumerated(EnumType.STRING)
  public BuildStatus status;

  public String trigger;

  /** The forge delivery that created this build; null for manual builds. */
  @Column(name = "delivery_id")
  public String deliveryId;

  public String version;

  @Column(name = "skip_reason")
  public String skipReason;

  public String worker;
  public String toolchain;

  /** JSON array of {@link dev.gantry.events.build.Artifact}. */
  public String artifacts;

  /** JSON object: stage name to milliseconds. */
  @Column(name = "stage_millis")
  public String stageMillis;

  @Column(name = "cache_hits")
  public Long cacheHits;

  @Column(name = "cache_misses")
  public Long cacheMisses;

  @Column(name = "error_stage")
  public String errorStage;

  @Column(name = "error_exit_code")
  public Integer errorExitCode;

  @Column(name = "error_message")
  public String errorMessage;

  /** JSON array of the last log lines. */
  @Column(name = "error_log_tail")
  public String errorLogTail;

  @Column(name = "cancel_requested_at")
  public Instant cancelRequestedAt;

  @Column(name = "cancel_reason")
  public String cancelReason;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Version
  @Column(name = "row_version")
  public long rowVersion;
}

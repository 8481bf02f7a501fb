package dev.gantry.buildapi.persistence;

import dev.gantry.events.analysis.Verdict;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The latest analysis verdict of one rollout. */
@Entity
@Table(name = "rollout_verdicts")
public class VerdictEntity {
  /** What monitor-service did about a verdict, besides issuing it. */
  public static final String ROLLBACK_REQUESTED = "ROLLBACK_REQUESTED";

  @Id
  @Column(name = "rollout_id")
  public String rolloutId;

  /** The canary's build when the verdict named it; otherwise matched through the rollout. */
  @Column(name = "build_id")
  public UUID buildId;

  public int step;

  @Enumerated(EnumType.STRING)
  public Verdict verdict;

  @Column(name = "issued_at")
  public Instant issuedAt;

  public String summary;

  public String action;

  @Column(name = "action_at")
  public Instant actionAt;
}

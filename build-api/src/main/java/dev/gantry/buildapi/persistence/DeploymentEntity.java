package dev.gantry.buildapi.persistence;

import dev.gantry.buildapi.domain.DeploymentPhase;
import dev.gantry.buildapi.domain.TrailPosition;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A build's trail after it was built: the rollout that last deployed it as the canary. */
@Entity
@Table(name = "deployments")
public class DeploymentEntity {
  @Id
  @Column(name = "build_id")
  public UUID buildId;

  @Column(name = "rollout_id")
  public String rolloutId;

  @Column(name = "app_name")
  public String appName;

  @Enumerated(EnumType.STRING)
  public DeploymentPhase phase;

  public Integer step;

  /** The canary's share of traffic as its own rollout last reported it, in percent. */
  public int weight;

  public String reason;

  @Column(name = "stable_version")
  public String stableVersion;

  @Column(name = "stable_build_id")
  public UUID stableBuildId;

  /** When the last report that changed this row happened (the rollout's clock). */
  @Column(name = "occurred_at")
  public Instant occurredAt;

  @Column(name = "superseded_by_version")
  public String supersededByVersion;

  @Column(name = "superseded_by_build_id")
  public UUID supersededByBuildId;

  @Column(name = "superseded_at")
  public Instant supersededAt;

  public TrailPosition position() {
    return new TrailPosition(rolloutId, phase, step, occurredAt);
  }
}

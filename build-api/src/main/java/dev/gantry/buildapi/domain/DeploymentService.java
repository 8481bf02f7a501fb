package dev.gantry.buildapi.domain;

import dev.gantry.buildapi.persistence.BuildRepository;
import dev.gantry.buildapi.persistence.DeploymentEntity;
import dev.gantry.buildapi.persistence.DeploymentRepository;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.rollout.Release;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Follows each build into production from rollout-service's reports. Idempotent without a table of
 * processed ids: a report is applied only when {@link TrailPosition} says it is newer than what is
 * stored, so a duplicate or a late report changes nothing.
 */
@ApplicationScoped
public class DeploymentService {
  private static final Logger LOG = Logger.getLogger(DeploymentService.class);

  @Inject DeploymentRepository deployments;
  @Inject BuildRepository builds;

  /**
   * @return true when a build's trail changed
   */
  @Transactional
  public boolean apply(CloudEvent<?> event) {
    Optional<RolloutFact> read = RolloutFact.of(event.data(), event.time());
    if (read.isEmpty()) {
      LOG.warnf(
          "ignoring %s %s: no rollout id, canary or time, or a weight that is not a percentage",
          event.type(), event.id());
      return false;
    }
    RolloutFact f = read.get();
    boolean retired = f.phase() == DeploymentPhase.PROMOTED && retireStable(f);
    UUID buildId = BuildIds.known(builds, f.canary().buildId());
    if (buildId == null) {
      LOG.warnf(
          "ignoring %s %s for unknown build %s", event.type(), event.id(), f.canary().buildId());
      return retired;
    }
    DeploymentEntity d = deployments.findById(buildId);
    if (d != null && !d.position().isOvertakenBy(f.position())) {
      return retired;
    }
    if (d == null) {
      d = new DeploymentEntity();
      d.buildId = buildId;
    }
    record(d, f);
    deployments.persist(d);
    return true;
  }

  private static void record(DeploymentEntity d, RolloutFact f) {
    if (!f.rolloutId().equals(d.rolloutId)) {
      // a new rollout of this build: whatever replaced it before is history
      d.supersededByVersion = null;
      d.supersededByBuildId = null;
      d.supersededAt = null;
      d.step = null;
    }
    d.rolloutId = f.rolloutId();
    d.appName = f.app();
    d.phase = f.phase();
    d.step = f.step() != null ? f.step() : d.step;
    d.weight = f.weight();
    d.reason = f.reason();
    d.stableVersion = f.stable() == null ? null : f.stable().version();
    d.stableBuildId = f.stable() == null ? null : BuildIds.uuid(f.stable().buildId());
    d.occurredAt = f.at();
  }

  /**
   * The promoted canary took over from the stable build: that build's own rollout stays PROMOTED,
   * but it no longer serves. Only a promotion that happened after the stable's last change counts.
   */
  private boolean retireStable(RolloutFact f) {
    Release stable = f.stable();
    UUID stableId = stable == null ? null : BuildIds.uuid(stable.buildId());
    if (stableId == null || stableId.equals(BuildIds.uuid(f.canary().buildId()))) {
      return false;
    }
    DeploymentEntity s = deployments.findById(stableId);
    if (s == null
        || s.phase != DeploymentPhase.PROMOTED
        || s.supersededAt != null
        || !f.at().isAfter(s.occurredAt)) {
      return false;
    }
    s.supersededByVersion = f.canary().version();
    s.supersededByBuildId = BuildIds.uuid(f.canary().buildId());
    s.supersededAt = f.at();
    return true;
  }
}

package dev.gantry.buildapi.domain;

import dev.gantry.buildapi.persistence.BuildRepository;
import dev.gantry.buildapi.persistence.VerdictEntity;
import dev.gantry.buildapi.persistence.VerdictRepository;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.RollbackRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps each rollout's latest verdict. A verdict replaces the stored one only if it judged a later
 * step, or the same step later; a RollbackRequested marks the verdict of its step once. Duplicates
 * and late arrivals therefore change nothing.
 */
@ApplicationScoped
public class VerdictService {
  private static final Logger LOG = Logger.getLogger(VerdictService.class);

  @Inject VerdictRepository verdicts;
  @Inject BuildRepository builds;

  /**
   * @return true when a rollout's latest verdict changed
   */
  @Transactional
  public boolean apply(CloudEvent<?> event) {
    if (event.data() instanceof AnalysisVerdict v) {
      return verdict(event, v);
    }
    if (event.data() instanceof RollbackRequested r) {
      return rollbackRequested(event, r);
    }
    return false;
  }

  private boolean verdict(CloudEvent<?> event, AnalysisVerdict v) {
    Instant at = v.issuedAt() != null ? v.issuedAt() : event.time();
    if (isBlank(v.rolloutId()) || v.verdict() == null || at == null || v.step() < 0) {
      LOG.warnf("ignoring %s %s: no rollout id, verdict, step or time", event.type(), event.id());
      return false;
    }
    UUID buildId = null;
    // without a build id the verdict is matched to its build through the rollout
    if (v.canaryBuildId() != null) {
      buildId = BuildIds.known(builds, v.canaryBuildId());
      if (buildId == null) {
        LOG.warnf(
            "ignoring %s %s for unknown build %s", event.type(), event.id(), v.canaryBuildId());
        return false;
      }
    }
    VerdictEntity stored = verdicts.findById(v.rolloutId());
    if (stored != null && !isLater(v.step(), at, stored)) {
      return false;
    }
    if (stored == null) {
      stored = new VerdictEntity();
      stored.rolloutId = v.rolloutId();
    }
    stored.buildId = buildId != null ? buildId : stored.buildId;
    stored.step = v.step();
    stored.verdict = v.verdict();
    stored.issuedAt = at;
    stored.summary = EvidenceSummary.of(v.evidence());
    stored.action = null;
    stored.actionAt = null;
    verdicts.persist(stored);
    return true;
  }

  private boolean rollbackRequested(CloudEvent<?> event, RollbackRequested r) {
    if (isBlank(r.rolloutId())) {
      LOG.warnf("ignoring %s %s: no rollout id", event.type(), event.id());
      return false;
    }
    VerdictEntity stored = verdicts.findById(r.rolloutId());
    // monitor-service sends the verdict first, on the same partition: no verdict, nothing to mark
    if (stored == null || stored.action != null || (r.step() != null && r.step() != stored.step)) {
      return false;
    }
    stored.action = VerdictEntity.ROLLBACK_REQUESTED;
    stored.actionAt = r.requestedAt() != null ? r.requestedAt() : event.time();
    return true;
  }

  private static boolean isLater(int step, Instant at, VerdictEntity stored) {
    return step > stored.step || (step == stored.step && at.isAfter(stored.issuedAt));
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}

package dev.gantry.buildapi.api;

import dev.gantry.buildapi.domain.DeploymentPhase;
import dev.gantry.buildapi.domain.Traffic;
import dev.gantry.buildapi.persistence.DeploymentEntity;
import dev.gantry.buildapi.persistence.VerdictEntity;
import dev.gantry.events.analysis.Verdict;
import java.time.Instant;

/**
 * Where a build went after it was built: its latest rollout, the traffic it serves now and the
 * latest verdict on it. Every field is always present (null when unknown), so that "is my commit
 * live?" is one field away.
 *
 * @param live whether the build serves any traffic now
 * @param weight its share of the app's traffic now, in percent
 * @param step the rollout step it reached, from 0; null before the first step
 * @param reason the reason constant of a pause, abort or rollback
 * @param replaces the stable version the rollout replaces; null for an app's first deploy
 * @param supersededBy the newer build promoted over this one once it had been promoted
 */
public record DeploymentView(
    String rolloutId,
    String app,
    DeploymentPhase phase,
    boolean live,
    int weight,
    Integer step,
    String reason,
    Release replaces,
    Superseded supersededBy,
    Instant updatedAt,
    LatestVerdict verdict) {

  public record Release(String version, String buildId) {}

  public record Superseded(String version, String buildId, Instant at) {}

  /**
   * @param summary the failing checks in one line (metric: canary vs stable); null if none failed
   * @param action what was done about it: {@code ROLLBACK_REQUESTED}, or null
   */
  public record LatestVerdict(
      Verdict verdict,
      int step,
      Instant issuedAt,
      String summary,
      String action,
      Instant actionAt) {}

  /**
   * @param replacingCanaryWeight the weight of a newer canary rolling out against this build, or
   *     null
   * @param verdict the latest verdict of the build's rollout, or null
   */
  public static DeploymentView of(
      DeploymentEntity d, Integer replacingCanaryWeight, VerdictEntity verdict) {
    boolean superseded = d.supersededAt != null;
    int weight = Traffic.percentNow(d.phase, d.weight, superseded, replacingCanaryWeight);
    return new DeploymentView(
        d.rolloutId,
        d.appName,
        d.phase,
        weight > 0,
        weight,
        d.step,
        d.reason,
        d.stableVersion == null && d.stableBuildId == null
            ? null
            : new Release(
                d.stableVersion, d.stableBuildId == null ? null : d.stableBuildId.toString()),
        superseded
            ? new Superseded(
                d.supersededByVersion,
                d.supersededByBuildId == null ? null : d.supersededByBuildId.toString(),
                d.supersededAt)
            : null,
        superseded ? d.supersededAt : d.occurredAt,
        verdict == null
            ? null
            : new LatestVerdict(
                verdict.verdict,
                verdict.step,
                verdict.issuedAt,
                verdict.summary,
                verdict.action,
                verdict.actionAt));
  }
}

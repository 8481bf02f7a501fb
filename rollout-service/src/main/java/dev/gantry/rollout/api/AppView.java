package dev.gantry.rollout.api;

import dev.gantry.events.rollout.Target;
import dev.gantry.rollout.domain.AppSpec;
import dev.gantry.rollout.domain.Release;
import dev.gantry.rollout.persistence.AppRecord;
import dev.gantry.rollout.persistence.StoredRollout;
import dev.gantry.rollout.router.RouteState;
import dev.gantry.rollout.router.local.ProcessBackends;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An app as {@code GET /apps/{name}} shows it: its policy, what serves it (with build and commit),
 * the rollout running now, and where each track serves.
 */
public record AppView(
    String name,
    String repo,
    String branch,
    String router,
    String healthPath,
    int listenPort,
    Map<String, String> routerOptions,
    String platform,
    List<RolloutView.StepView> steps,
    long stepDeadlineSeconds,
    String onNewBuild,
    Release current,
    Release previous,
    Release queued,
    ActiveRollout activeRollout,
    Target stableTarget,
    Target canaryTarget,
    List<ProcessBackends.Restart> childRestarts,
    Instant createdAt,
    Instant updatedAt) {

  /** The running rollout in brief; {@code GET /rollouts/{id}} has the rest. */
  public record ActiveRollout(UUID id, String phase, String canaryVersion, int canaryWeight) {}

  /**
   * @param restarts the local router's restarts of the app's crashed children, latest per version
   *     (kept by this instance, so empty after it restarts)
   */
  static AppView of(
      AppRecord app,
      StoredRollout active,
      RouteState state,
      List<ProcessBackends.Restart> restarts) {
    AppSpec spec = app.spec();
    return new AppView(
        spec.name(),
        spec.repo(),
        spec.branch(),
        spec.router(),
        spec.healthPath(),
        spec.listenPort(),
        spec.routerOptions(),
        spec.platform(),
        spec.steps().stream().map(RolloutView::step).toList(),
        spec.stepDeadline().toSeconds(),
        spec.onNewBuild().name().toLowerCase(java.util.Locale.ROOT),
        app.current(),
        app.previous(),
        app.queued(),
        active == null
            ? null
            : new ActiveRollout(
                active.id(),
                active.phase().name(),
                active.spec().canaryVersion(),
                active.status().canaryWeight()),
        state == null ? null : state.stable(),
        state == null ? null : state.canary(),
        restarts,
        app.createdAt(),
        app.updatedAt());
  }
}

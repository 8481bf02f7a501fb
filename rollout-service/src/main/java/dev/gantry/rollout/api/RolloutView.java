package dev.gantry.rollout.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gantry.rollout.domain.Condition;
import dev.gantry.rollout.domain.Gate;
import dev.gantry.rollout.domain.Phase;
import dev.gantry.rollout.domain.RolloutSpec;
import dev.gantry.rollout.domain.RolloutStatus;
import dev.gantry.rollout.domain.Step;
import dev.gantry.rollout.persistence.StoredRollout;
import dev.gantry.rollout.persistence.Transition;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A rollout as the REST API shows it. Its own shape, not the stored JSON, so that the API and the
 * database can change apart.
 *
 * @param step the current step, from 0; -1 before the rollout has started
 * @param canaryWeight the percentage of traffic the canary takes; stable takes the rest
 * @param stepDeadline when the current step's gate must be decided, counted from {@code appliedAt};
 *     null for a manual gate and while the router has not applied the step
 * @param appliedStep the last step the app's router applied; behind {@code step} while the router
 *     is catching up (or failing), and then no gate passes
 * @param appliedAt when the router applied {@code appliedStep}
 * @param history the phase changes and the steps entered, oldest first; only on a single rollout,
 *     not in a list
 */
public record RolloutView(
    UUID id,
    String app,
    Phase phase,
    Versions versions,
    String buildId,
    String commit,
    SpecView spec,
    int step,
    int canaryWeight,
    int stableWeight,
    Instant stepStartedAt,
    Instant stepDeadline,
    Integer appliedStep,
    Instant appliedAt,
    List<ConditionView> conditions,
    String outcome,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<TransitionView> history,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * @param stable null for an app's first deploy
   */
  public record Versions(String canary, String stable) {}

  public record SpecView(List<StepView> steps, long stepDeadlineSeconds) {}

  public record StepView(int weight, GateView gate) {}

  /**
   * @param type {@code pause}, {@code analysis} or {@code manual}
   * @param seconds only for a pause
   */
  public record GateView(String type, @JsonInclude(JsonInclude.Include.NON_NULL) Long seconds) {}

  public record ConditionView(
      String type, boolean status, String reason, String message, Instant since) {}

  /**
   * @param step the step entered, with the canary's {@code weight}; absent for a phase change alone
   */
  public record TransitionView(
      Phase from,
      Phase to,
      String reason,
      String message,
      Instant at,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer step,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer weight) {}

  public static RolloutView summary(StoredRollout rollout) {
    return of(rollout, null);
  }

  public static RolloutView detail(StoredRollout rollout, List<Transition> transitions) {
    return of(
        rollout,
        transitions.stream()
            .map(
                t ->
                    new TransitionView(
                        t.from(), t.to(), t.reason(), t.message(), t.at(), t.step(), t.weight()))
            .toList());
  }

  private static RolloutView of(StoredRollout rollout, List<TransitionView> history) {
    RolloutSpec spec = rollout.spec();
    RolloutStatus status = rollout.status();
    return new RolloutView(
        rollout.id(),
        spec.app(),
        rollout.phase(),
        new Versions(spec.canaryVersion(), spec.stableVersion()),
        spec.canary().buildId(),
        spec.canary().commit(),
        new SpecView(
            spec.steps().stream().map(RolloutView::step).toList(), spec.stepDeadline().toSeconds()),
        status.stepIndex(),
        status.canaryWeight(),
        100 - status.canaryWeight(),
        status.stepStartedAt(),
        status.stepDeadline(),
        status.appliedStep(),
        status.appliedAt(),
        status.conditions().stream().map(RolloutView::condition).toList(),
        status.outcome() == null ? null : status.outcome().name(),
        history,
        rollout.createdAt(),
        rollout.updatedAt());
  }

  static StepView step(Step step) {
    Gate gate = step.gate();
    GateView view;
    if (gate instanceof Gate.Pause pause) {
      view = new GateView("pause", pause.seconds());
    } else if (gate instanceof Gate.Analysis) {
      view = new GateView("analysis", null);
    } else {
      view = new GateView("manual", null);
    }
    return new StepView(step.weight(), view);
  }

  private static ConditionView condition(Condition c) {
    return new ConditionView(c.type().name(), c.status(), c.reason(), c.message(), c.since());
  }
}

package dev.gantry.rollout.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What has happened to a rollout so far. Together with its {@link RolloutSpec} this is all that is
 * persisted; the phase is derived from both.
 *
 * @param stepIndex the current step, from 0; -1 before the rollout has started
 * @param canaryWeight the percentage of traffic the canary takes; stable takes the rest
 * @param stepDeadline when the current step's gate must be decided: the end of a pause gate, the
 *     latest time for an analysis verdict, both counted from when the router applied the step; null
 *     for a manual gate and until the router has applied the step. Stored, so timers survive
 *     restarts.
 * @param lastVerdict the last verdict received, null when none arrived for the current step
 * @param outcome null until the rollout has ended
 * @param appliedStep the last step whose weight the app's router has applied; null before the
 *     first. The split a gate judges is the one the router applied, so no gate passes before this
 *     is the current step.
 * @param appliedAt when the router applied {@code appliedStep}
 */
public record RolloutStatus(
    int stepIndex,
    int canaryWeight,
    Instant stepStartedAt,
    Instant stepDeadline,
    PendingRequests requests,
    StepVerdict lastVerdict,
    Outcome outcome,
    List<Condition> conditions,
    Integer appliedStep,
    Instant appliedAt) {

  public RolloutStatus {
    requests = requests == null ? PendingRequests.NONE : requests;
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  public static RolloutStatus initial() {
    return new RolloutStatus(
        -1, 0, null, null, PendingRequests.NONE, null, null, List.of(), null, null);
  }

  public boolean started() {
    return stepIndex >= 0;
  }

  /** Whether the router has applied the current step: only then does its gate count. */
  public boolean stepApplied() {
    return started() && appliedStep != null && appliedStep == stepIndex && appliedAt != null;
  }

  /** The router applied the current step at {@code at}; its gate is decided by {@code deadline}. */
  public RolloutStatus withApplied(Instant at, Instant deadline) {
    return new RolloutStatus(
        stepIndex,
        canaryWeight,
        stepStartedAt,
        deadline,
        requests,
        lastVerdict,
        outcome,
        conditions,
        stepIndex,
        at);
  }

  public Optional<Condition> condition(ConditionType type) {
    return conditions.stream().filter(c -> c.type() == type).findFirst();
  }

  public boolean holds(ConditionType type) {
    return condition(type).map(Condition::status).orElse(false);
  }

  /** The verdict for the current step, if one arrived. */
  public Optional<Verdict> currentVerdict() {
    return Optional.ofNullable(lastVerdict)
        .filter(v -> v.step() == stepIndex)
        .map(StepVerdict::verdict);
  }

  public RolloutStatus withRequests(PendingRequests next) {
    return new RolloutStatus(
        stepIndex,
        canaryWeight,
        stepStartedAt,
        stepDeadline,
        next,
        lastVerdict,
        outcome,
        conditions,
        appliedStep,
        appliedAt);
  }

  public RolloutStatus withVerdict(StepVerdict verdict) {
    return new RolloutStatus(
        stepIndex,
        canaryWeight,
        stepStartedAt,
        stepDeadline,
        requests,
        verdict,
        outcome,
        conditions,
        appliedStep,
        appliedAt);
  }

  public RolloutStatus withStep(int index, int weight, Instant startedAt, Instant deadline) {
    return new RolloutStatus(
        index,
        weight,
        startedAt,
        deadline,
        requests,
        null,
        outcome,
        conditions,
        appliedStep,
        appliedAt);
  }

  public RolloutStatus withDeadline(Instant deadline) {
    return new RolloutStatus(
        stepIndex,
        canaryWeight,
        stepStartedAt,
        deadline,
        requests,
        lastVerdict,
        outcome,
        conditions,
        appliedStep,
        appliedAt);
  }

  public RolloutStatus withWeight(int weight) {
    return new RolloutStatus(
        stepIndex,
        weight,
        stepStartedAt,
        stepDeadline,
        requests,
        lastVerdict,
        outcome,
        conditions,
        appliedStep,
        appliedAt);
  }

  public RolloutStatus withOutcome(Outcome next) {
    return new RolloutStatus(
        stepIndex,
        canaryWeight,
        stepStartedAt,
        stepDeadline,
        requests,
        lastVerdict,
        next,
        conditions,
        appliedStep,
        appliedAt);
  }

  /**
   * Sets the condition of that type. Setting the same status and reason again keeps the original
   * {@code since}, so that rerunning a reconcile changes nothing.
   */
  public RolloutStatus withCondition(Condition condition) {
    Optional<Condition> current = condition(condition.type());
    if (current.isPresent() && current.get().sameStateAs(condition)) {
      return this;
    }
    List<Condition> next = new ArrayList<>(conditions);
    next.removeIf(c -> c.type() == condition.type());
    next.add(condition);
    return new RolloutStatus(
        stepIndex,
        canaryWeight,
        stepStartedAt,
        stepDeadline,
        requests,
        lastVerdict,
        outcome,
        next,
        appliedStep,
        appliedAt);
  }
}

package dev.gantry.rollout.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Computes, from a rollout's spec and status and the time, the next status and the actions that
 * bring the world in line with it. Pure and safe to rerun: reconciling the status it returned, at
 * the same instant, yields the same status and no actions.
 *
 * <p>Precedence within one reconcile: rollback (requested, or a FAIL verdict), then abort, then
 * promote, resume and pause, then the current step's gate. A rollout is never promoted on missing
 * data: only a PASS, an elapsed pause gate or an operator's promote moves it forward.
 *
 * <p>A gate judges the split the router applied, never one that is only stored: until {@link
 * #applied} records that the router applied the current step, a pause does not run, an analysis
 * deadline does not run and a PASS waits. A router that keeps failing therefore holds the rollout
 * where it is (ADR 0006 §7) instead of letting it walk through its pauses to a promotion.
 */
public final class Reconciler {

  private Reconciler() {}

  public static Decision reconcile(RolloutSpec spec, RolloutStatus status, Instant now) {
    Run run = new Run(spec, status, now);
    run.execute();
    return new Decision(run.status, run.phase, run.actions, run.wakeAt());
  }

  /**
   * The status once the router has applied {@code step} at {@code weight} at {@code at}: the step's
   * gate starts to count from then. Unchanged when the rollout has moved on (or ended) since that
   * route was read, or when the step was recorded as applied already, so a converge that runs again
   * neither restarts a pause nor extends a deadline.
   */
  public static RolloutStatus applied(
      RolloutSpec spec, RolloutStatus status, int step, int weight, Instant at) {
    if (status.outcome() != null
        || !status.started()
        || status.stepIndex() != step
        || status.canaryWeight() != weight
        || status.stepApplied()) {
      return status;
    }
    return status.withApplied(at, gateDeadline(spec, spec.step(step).gate(), at));
  }

  /** When a gate entered at {@code from} must be decided; null for a manual gate. */
  private static Instant gateDeadline(RolloutSpec spec, Gate gate, Instant from) {
    if (gate instanceof Gate.Pause pause) {
      return from.plus(Duration.ofSeconds(pause.seconds()));
    }
    if (gate instanceof Gate.Analysis) {
      return from.plus(spec.stepDeadline());
    }
    return null;
  }

  private static final class Run {
    private final RolloutSpec spec;
    private final Instant now;
    private final List<Action> actions = new ArrayList<>();
    private RolloutStatus status;
    private Phase phase;

    Run(RolloutSpec spec, RolloutStatus status, Instant now) {
      this.spec = spec;
      this.now = now;
      this.status = status;
      this.phase = Phases.derive(spec, status);
    }

    void execute() {
      PendingRequests requests = status.requests();
      status = status.withRequests(PendingRequests.NONE);
      if (phase.isTerminal()) {
        rejectAll(requests.asRequests(), "the rollout has ended: " + phase);
        return;
      }
      if (phase == Phase.PENDING && !requests.abort() && !requests.rollback()) {
        start();
      }
      if (requests.rollback()) {
        rollBack(
            requests.rollbackCause() == null
                ? Reasons.ROLLBACK_REQUESTED
                : requests.rollbackCause(),
            messageOr(requests.rollbackReason(), "rollback"));
      } else if (status.currentVerdict().orElse(null) == Verdict.FAIL) {
        rollBack(Reasons.ANALYSIS_FAILED, messageOr(status.lastVerdict().message(), "FAIL"));
      } else if (requests.abort()) {
        end(
            Outcome.ABORTED,
            requests.abortCause() == null ? Reasons.MANUAL_ABORT : requests.abortCause(),
            messageOr(requests.abortReason(), "aborted by an operator"));
      }
      if (phase.isTerminal()) {
        rejectAll(
            requests.asRequests().stream()
                .filter(r -> !(r instanceof Request.Rollback) && !(r instanceof Request.Abort))
                .toList(),
            "the rollout has ended: " + phase);
        return;
      }
      if (requests.promote() != null) {
        promote(requests.promote() == PendingRequests.Promotion.FULL);
      }
      if (requests.resume()) {
        resume();
      }
      if (requests.pause()) {
        if (phase.isTerminal()) {
          reject(new Request.Pause(), "the rollout has ended: " + phase);
        } else {
          pause(Reasons.MANUAL_PAUSE, "paused by an operator");
        }
      }
      walkGates();
    }

    Optional<Instant> wakeAt() {
      if (phase == Phase.PROGRESSING) {
        return Optional.ofNullable(status.stepDeadline());
      }
      return Optional.empty();
    }

    private void start() {
      actions.add(new Action.StartCanary());
      enterStep(
          0, Reasons.ROLLOUT_STARTED, "canary " + spec.canaryVersion() + " replaces " + stable());
    }

    /** Moves forward as long as the current step's gate has passed. */
    private void walkGates() {
      while (phase == Phase.PROGRESSING) {
        Gate gate = spec.step(status.stepIndex()).gate();
        String passedBecause = null;
        if (gate instanceof Gate.Pause) {
          passedBecause =
              status.stepApplied() && !now.isBefore(status.stepDeadline())
                  ? Reasons.PAUSE_ELAPSED
                  : null;
        } else if (gate instanceof Gate.Analysis) {
          passedBecause = analysisGate();
        } else if (gate instanceof Gate.Manual) {
          pause(
              Reasons.AWAITING_MANUAL_PROMOTE,
              "step " + status.stepIndex() + " waits for an operator's promote");
        }
        if (passedBecause == null) {
          return;
        }
        completeStep(passedBecause);
      }
    }

    /** The reason the analysis gate passed, or null when it has not. */
    private String analysisGate() {
      Verdict verdict = status.currentVerdict().orElse(null);
      if (verdict == Verdict.PASS) {
        // kept, and acted on once the router has applied the split it judged
        return status.stepApplied() ? Reasons.ANALYSIS_PASSED : null;
      }
      if (verdict == Verdict.INCONCLUSIVE) {
        pause(
            Reasons.ANALYSIS_INCONCLUSIVE,
            "analysis at "
                + status.canaryWeight()
                + " % was inconclusive: "
                + messageOr(status.lastVerdict().message(), "no reason given"));
      } else if (status.stepApplied() && !now.isBefore(status.stepDeadline())) {
        pause(
            Reasons.STEP_DEADLINE_EXCEEDED,
            "no verdict for step "
                + status.stepIndex()
                + " by "
                + status.stepDeadline()
                + "; holding at "
                + status.canaryWeight()
                + " %");
      }
      return null;
    }

    private void completeStep(String reason) {
      int index = status.stepIndex();
      String verdictId =
          Reasons.ANALYSIS_PASSED.equals(reason) ? status.lastVerdict().eventId() : null;
      actions.add(new Action.StepCompleted(index, status.canaryWeight(), reason, verdictId));
      if (index == spec.lastStepIndex()) {
        promoteToStable(Reasons.PROMOTED, "every step passed");
      } else {
        enterStep(index + 1, Reasons.STEP_STARTED, null);
      }
    }

    private void enterStep(int index, String reason, String message) {
      Step step = spec.step(index);
      if (step.weight() != status.canaryWeight()) {
        actions.add(new Action.SetWeight(step.weight()));
      }
      // announced as if applied now; the stored deadline waits for the router (see applied)
      actions.add(
          new Action.StepStarted(index, step.weight(), now, gateDeadline(spec, step.gate(), now)));
      String stepMessage = "step " + index + ": canary at " + step.weight() + " %";
      set(
          status
              .withStep(index, step.weight(), now, null)
              .withCondition(
                  Condition.isTrue(
                      ConditionType.PROGRESSING, Reasons.STEP_STARTED, stepMessage, now)),
          reason,
          message == null ? stepMessage : message);
    }

    private void promote(boolean full) {
      unpause(full ? Reasons.MANUAL_PROMOTE_FULL : Reasons.MANUAL_PROMOTE, "promoted");
      if (full) {
        if (status.canaryWeight() != 100) {
          actions.add(new Action.SetWeight(100));
          status = status.withWeight(100);
        }
        promoteToStable(Reasons.MANUAL_PROMOTE_FULL, "promoted to 100 % by an operator");
      } else {
        completeStep(Reasons.MANUAL_PROMOTE);
      }
    }

    private void resume() {
      if (phase.isTerminal()) {
        reject(new Request.Resume(), "the rollout has ended: " + phase);
        return;
      }
      if (Requests.awaitsManualPromote(status)) {
        reject(new Request.Resume(), "the step waits for a manual promote; promote it instead");
        return;
      }
      if (phase != Phase.PAUSED) {
        reject(new Request.Resume(), "the rollout is not paused: " + phase);
        return;
      }
      if (spec.step(status.stepIndex()).gate() instanceof Gate.Analysis) {
        // A resumed analysis step gets a fresh window (once the router has applied it); an
        // INCONCLUSIVE must not count again.
        if (status.stepApplied()) {
          status = status.withDeadline(now.plus(spec.stepDeadline()));
        }
        if (status.currentVerdict().orElse(null) == Verdict.INCONCLUSIVE) {
          status = status.withVerdict(null);
        }
      }
      unpause(Reasons.MANUAL_RESUME, "resumed by an operator");
    }

    private void pause(String reason, String message) {
      set(
          status.withCondition(Condition.isTrue(ConditionType.PAUSED, reason, message, now)),
          reason,
          message);
    }

    private void unpause(String reason, String message) {
      if (status.holds(ConditionType.PAUSED)) {
        set(
            status.withCondition(Condition.isFalse(ConditionType.PAUSED, reason, message, now)),
            reason,
            message);
      }
    }

    private void promoteToStable(String reason, String message) {
      actions.add(new Action.MakeCanaryStable());
      end(Outcome.PROMOTED, reason, message);
    }

    private void rollBack(String reason, String message) {
      end(Outcome.ROLLED_BACK, reason, message);
    }

    /** Aborts and rollbacks send all traffic to stable first, then stop the canary. */
    private void end(Outcome outcome, String reason, String message) {
      if (outcome != Outcome.PROMOTED) {
        if (status.canaryWeight() != 0) {
          actions.add(new Action.SetWeight(0));
        }
        actions.add(new Action.StopCanary());
        status = status.withWeight(0);
      }
      RolloutStatus ended =
          status
              .withOutcome(outcome)
              .withCondition(Condition.isFalse(ConditionType.PROGRESSING, reason, message, now))
              .withCondition(Condition.isTrue(ConditionType.COMPLETED, reason, message, now));
      if (ended.holds(ConditionType.PAUSED)) {
        ended = ended.withCondition(Condition.isFalse(ConditionType.PAUSED, reason, message, now));
      }
      set(ended, reason, message);
    }

    private void set(RolloutStatus next, String reason, String message) {
      Phase nextPhase = Phases.derive(spec, next);
      if (nextPhase != phase) {
        actions.add(new Action.RecordTransition(phase, nextPhase, reason, message, now));
        phase = nextPhase;
      }
      status = next;
    }

    private void rejectAll(List<Request> requests, String message) {
      requests.forEach(r -> reject(r, message));
    }

    private void reject(Request request, String message) {
      actions.add(new Action.RejectRequest(request, Reasons.ILLEGAL_TRANSITION, message));
    }

    private String stable() {
      return spec.stableVersion() == null ? "nothing (first deploy)" : spec.stableVersion();
    }

    private static String messageOr(String message, String fallback) {
      return message == null || message.isBlank() ? fallback : message;
    }
  }
}

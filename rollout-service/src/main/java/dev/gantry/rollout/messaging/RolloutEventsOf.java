package dev.gantry.rollout.messaging;

import dev.gantry.events.EventData;
import dev.gantry.events.rollout.Release;
import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutPaused;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStarted;
import dev.gantry.events.rollout.RolloutStepCompleted;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.rollout.domain.Action;
import dev.gantry.rollout.domain.PendingRequests;
import dev.gantry.rollout.domain.Phase;
import dev.gantry.rollout.domain.Reasons;
import dev.gantry.rollout.domain.RolloutSpec;
import dev.gantry.rollout.domain.Step;
import dev.gantry.rollout.domain.StepVerdict;
import dev.gantry.rollout.domain.Verdict;
import dev.gantry.rollout.persistence.Reconciled;
import dev.gantry.rollout.persistence.StoredRollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollout.events a reconcile's actions report, in the order they happened. A step's targets are
 * not known until the router has applied the step; the publisher fills them in.
 */
public final class RolloutEventsOf {

  private RolloutEventsOf() {}

  public static List<EventData> reconcile(String router, StoredRollout before, Reconciled after) {
    StoredRollout rollout = after.rollout();
    RolloutSpec spec = rollout.spec();
    String id = rollout.id().toString();
    Release canary = release(spec.canary());
    Release stable = release(spec.stable());
    Instant now = rollout.updatedAt();
    int stepBefore = before.status().stepIndex();
    int weightBefore = before.status().canaryWeight();
    List<EventData> events = new ArrayList<>();
    for (Action action : after.actions()) {
      if (action instanceof Action.StartCanary) {
        events.add(
            new RolloutStarted(
                id,
                spec.app(),
                canary,
                stable,
                spec.steps().stream().map(Step::weight).toList(),
                router,
                now));
      } else if (action instanceof Action.StepStarted s) {
        events.add(
            new RolloutStepStarted(
                id,
                spec.app(),
                canary,
                stable,
                s.step(),
                s.weight(),
                null,
                null,
                s.startedAt(),
                s.deadline()));
        stepBefore = s.step();
        weightBefore = s.weight();
      } else if (action instanceof Action.StepCompleted s) {
        events.add(
            new RolloutStepCompleted(
                id,
                spec.app(),
                canary,
                stable,
                s.step(),
                s.weight(),
                gate(s.reason()),
                s.verdictId(),
                now));
      } else if (action instanceof Action.RecordTransition t) {
        EventData ended =
            transition(spec, id, canary, stable, stepBefore, weightBefore, t, cause(before, t));
        if (ended != null) {
          events.add(ended);
        }
      }
    }
    return events;
  }

  private static EventData transition(
      RolloutSpec spec,
      String id,
      Release canary,
      Release stable,
      int step,
      int weight,
      Action.RecordTransition t,
      Cause cause) {
    if (t.to() == Phase.PAUSED) {
      return new RolloutPaused(
          id, spec.app(), canary, stable, step, weight, t.reason(), t.message(), t.at());
    }
    if (t.to() == Phase.PROMOTED) {
      return new RolloutPromoted(
          id, spec.app(), canary, stable, Reasons.MANUAL_PROMOTE_FULL.equals(t.reason()), t.at());
    }
    if (t.to() == Phase.ABORTED) {
      return new RolloutAborted(
          id, spec.app(), canary, stable, step, weight, t.reason(), t.message(), t.at());
    }
    if (t.to() == Phase.ROLLED_BACK) {
      return new RolloutRolledBack(
          id,
          spec.app(),
          canary,
          stable,
          step,
          weight,
          t.reason(),
          t.message(),
          cause.eventId(),
          cause.arrivedAt(),
          t.at());
    }
    return null;
  }

  /** What asked for a rollback, and when it arrived. */
  private record Cause(String eventId, Instant arrivedAt) {}

  /**
   * The cause of a rollback, as the reconcile read it: a rollback request (a RollbackRequested, an
   * operator, the router) wins over a FAIL verdict, as in {@link
   * dev.gantry.rollout.domain.Reconciler}.
   */
  private static Cause cause(StoredRollout before, Action.RecordTransition t) {
    PendingRequests requests = before.status().requests();
    if (requests.rollback() && requests.rollbackRequestedAt() != null) {
      return new Cause(requests.rollbackCauseId(), requests.rollbackRequestedAt());
    }
    StepVerdict verdict = before.status().lastVerdict();
    if (!requests.rollback() && verdict != null && verdict.verdict() == Verdict.FAIL) {
      return new Cause(verdict.eventId(), verdict.receivedAt());
    }
    return new Cause(null, t.at());
  }

  public static Release release(dev.gantry.rollout.domain.Release r) {
    return r == null ? null : new Release(r.version(), r.buildId(), r.commit(), r.artifact());
  }

  /** What let the step pass, as the contract names it: whatever gate the step had. */
  private static String gate(String reason) {
    if (Reasons.ANALYSIS_PASSED.equals(reason)) {
      return "analysis";
    }
    return Reasons.PAUSE_ELAPSED.equals(reason) ? "pause" : "manual";
  }
}

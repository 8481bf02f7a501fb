package dev.gantry.rollout.domain;

import java.time.Instant;

/**
 * Takes a request into a rollout's status, or rejects it when the rollout's phase does not allow
 * it. Only records the request: {@link Reconciler#reconcile} acts on it, so that a request stored
 * just before a crash is still acted on after the restart.
 */
public final class Requests {

  private Requests() {}

  public static RequestResult submit(
      RolloutSpec spec, RolloutStatus status, Request request, Instant now) {
    Phase phase = Phases.derive(spec, status);
    if (phase.isTerminal()) {
      return illegal("the rollout has ended: " + phase);
    }
    PendingRequests pending = status.requests();
    if (request instanceof Request.Promote promote) {
      return accepted(status, pending.withPromote(promote.full()));
    }
    if (request instanceof Request.Pause) {
      return accepted(status, pending.withPause());
    }
    if (request instanceof Request.Resume) {
      if (phase != Phase.PAUSED) {
        return illegal("the rollout is not paused: " + phase);
      }
      if (awaitsManualPromote(status)) {
        return illegal("the step waits for a manual promote; promote it instead");
      }
      return accepted(status, pending.withResume());
    }
    if (request instanceof Request.Abort abort) {
      return accepted(status, pending.withAbort(abort.reason(), abort.cause()));
    }
    if (request instanceof Request.Rollback rollback) {
      return accepted(
          status,
          pending.withRollback(rollback.reason(), rollback.cause(), rollback.causeId(), now));
    }
    if (request instanceof Request.ReportVerdict report) {
      return verdict(status, phase, report, now);
    }
    throw new IllegalArgumentException("unknown request " + request);
  }

  static boolean awaitsManualPromote(RolloutStatus status) {
    return status
        .condition(ConditionType.PAUSED)
        .filter(Condition::status)
        .map(c -> Reasons.AWAITING_MANUAL_PROMOTE.equals(c.reason()))
        .orElse(false);
  }

  private static RequestResult verdict(
      RolloutStatus status, Phase phase, Request.ReportVerdict report, Instant now) {
    if (phase == Phase.PENDING) {
      return illegal("the rollout has not started");
    }
    boolean current = report.step() == status.stepIndex();
    // A FAIL about an earlier step is still about this canary: it must not keep serving.
    boolean earlierFail = report.verdict() == Verdict.FAIL && report.step() < status.stepIndex();
    if (!current && !earlierFail) {
      return new RequestResult.Rejected(
          Reasons.STALE_VERDICT,
          "a "
              + report.verdict()
              + " for step "
              + report.step()
              + " while the rollout is at step "
              + status.stepIndex());
    }
    if (status.currentVerdict().orElse(null) == Verdict.FAIL) {
      // Already failed and about to roll back; a later PASS must not undo that.
      return new RequestResult.Accepted(status);
    }
    int step = earlierFail ? status.stepIndex() : report.step();
    return new RequestResult.Accepted(
        status.withVerdict(
            new StepVerdict(step, report.verdict(), report.message(), now, report.eventId())));
  }

  private static RequestResult accepted(RolloutStatus status, PendingRequests next) {
    return new RequestResult.Accepted(status.withRequests(next));
  }

  private static RequestResult illegal(String message) {
    return new RequestResult.Rejected(Reasons.ILLEGAL_TRANSITION, message);
  }
}

package dev.gantry.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Holds one rollout's spec, status and clock the way the service will: submit, then reconcile,
 * then, once the router has applied the stored split, record that and reconcile again. The router
 * applies at once unless the test has taken it {@link #routerDown() down}.
 */
final class RolloutDriver {

  static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

  private final RolloutSpec spec;
  private RolloutStatus status = RolloutStatus.initial();
  private Instant now = T0;
  private boolean routerUp = true;

  private RolloutDriver(RolloutSpec spec) {
    this.spec = spec;
  }

  static RolloutDriver drive(RolloutSpec spec) {
    return new RolloutDriver(spec);
  }

  /**
   * Reconciles and keeps the new status, as the service does after storing it; with the router up,
   * the router then applies the split and what follows from that is part of the decision.
   */
  Decision reconcile() {
    Decision decision = Reconciler.reconcile(spec, status, now);
    status = decision.status();
    return routerUp ? afterTheRouterApplied(decision) : decision;
  }

  /** From now on the router fails: nothing stored is applied. */
  RolloutDriver routerDown() {
    routerUp = false;
    return this;
  }

  /** The router works again and applies the stored split now. */
  Decision routerBack() {
    routerUp = true;
    return afterTheRouterApplied(new Decision(status, phase(), List.of(), Optional.empty()));
  }

  /** The engine records each applied step and reconciles again, until the route stays put. */
  private Decision afterTheRouterApplied(Decision decision) {
    List<Action> actions = new ArrayList<>(decision.actions());
    Decision last = decision;
    while (true) {
      RolloutStatus applied =
          Reconciler.applied(spec, status, status.stepIndex(), status.canaryWeight(), now);
      if (applied.equals(status)) {
        return new Decision(status, Phases.derive(spec, status), actions, last.wakeAt());
      }
      last = Reconciler.reconcile(spec, applied, now);
      status = last.status();
      actions.addAll(last.actions());
    }
  }

  RequestResult submit(Request request) {
    RequestResult result = Requests.submit(spec, status, request, now);
    if (result instanceof RequestResult.Accepted accepted) {
      status = accepted.status();
    }
    return result;
  }

  /** Submits a request that must be accepted, then reconciles. */
  Decision request(Request request) {
    assertThat(submit(request)).isInstanceOf(RequestResult.Accepted.class);
    return reconcile();
  }

  Decision verdict(Verdict verdict) {
    return request(
        new Request.ReportVerdict(status.stepIndex(), verdict, verdict + " from the test"));
  }

  Decision after(Duration elapsed) {
    now = now.plus(elapsed);
    return reconcile();
  }

  RolloutDriver at(Instant instant) {
    now = instant;
    return this;
  }

  Phase phase() {
    return Phases.derive(spec, status);
  }

  RolloutStatus status() {
    return status;
  }

  RolloutSpec spec() {
    return spec;
  }

  Instant now() {
    return now;
  }
}

package dev.gantry.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

/** Holds one rollout's spec, status and clock the way the service will: submit, then reconcile. */
final class RolloutDriver {

  static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

  private final RolloutSpec spec;
  private RolloutStatus status = RolloutStatus.initial();
  private Instant now = T0;

  private RolloutDriver(RolloutSpec spec) {
    this.spec = spec;
  }

  static RolloutDriver drive(RolloutSpec spec) {
    return new RolloutDriver(spec);
  }

  /** Reconciles and keeps the new status, as the service does after storing it. */
  Decision reconcile() {
    Decision decision = Reconciler.reconcile(spec, status, now);
    status = decision.status();
    return decision;
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

package dev.gantry.rollout.domain;

import static dev.gantry.rollout.domain.RolloutDriver.drive;
import static dev.gantry.rollout.domain.RolloutSpecBuilder.aSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A reconcile rerun by a timer, a redelivered event or a restart must change nothing. */
class ReconcileIdempotenceTest {

  static Stream<Arguments> states() {
    return Stream.of(
        state("pending", r -> {}),
        state("started", RolloutDriver::reconcile),
        state(
            "advanced by a PASS",
            r -> {
              r.reconcile();
              r.verdict(Verdict.PASS);
            }),
        state(
            "paused by INCONCLUSIVE",
            r -> {
              r.reconcile();
              r.verdict(Verdict.INCONCLUSIVE);
            }),
        state(
            "paused at the deadline",
            r -> {
              r.reconcile();
              r.after(Duration.ofMinutes(5));
            }),
        state(
            "resumed",
            r -> {
              r.reconcile();
              r.request(new Request.Pause());
              r.request(new Request.Resume());
            }),
        state(
            "promoted one step",
            r -> {
              r.reconcile();
              r.request(new Request.Promote(false));
            }),
        state(
            "promoted",
            r -> {
              r.reconcile();
              r.request(new Request.Promote(true));
            }),
        state(
            "rolled back",
            r -> {
              r.reconcile();
              r.verdict(Verdict.FAIL);
            }),
        state(
            "aborted",
            r -> {
              r.reconcile();
              r.request(new Request.Abort());
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("states")
  void shouldYieldNoActionsWhenReconcilingAReconciledStatusAtTheSameInstant(
      String name, Consumer<RolloutDriver> scenario) {
    RolloutDriver rollout = drive(aSpec().withStepDeadline(Duration.ofMinutes(5)).build());
    scenario.accept(rollout);
    RolloutStatus reconciled = rollout.reconcile().status();

    Decision again = Reconciler.reconcile(rollout.spec(), reconciled, rollout.now());

    assertThat(again.actions()).isEmpty();
    assertThat(again.status()).isEqualTo(reconciled);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("states")
  void shouldDeriveThePhaseOfTheDecisionFromItsStatus(
      String name, Consumer<RolloutDriver> scenario) {
    RolloutDriver rollout = drive(aSpec().build());
    scenario.accept(rollout);

    Decision decision = rollout.reconcile();

    assertThat(decision.phase()).isEqualTo(Phases.derive(rollout.spec(), decision.status()));
  }

  private static Arguments state(String name, Consumer<RolloutDriver> scenario) {
    return Arguments.of(name, scenario);
  }
}

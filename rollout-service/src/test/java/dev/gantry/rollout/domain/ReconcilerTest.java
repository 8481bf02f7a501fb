package dev.gantry.rollout.domain;

import static dev.gantry.rollout.domain.RolloutDriver.T0;
import static dev.gantry.rollout.domain.RolloutDriver.drive;
import static dev.gantry.rollout.domain.RolloutSpecBuilder.aSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gantry.rollout.domain.Action.MakeCanaryStable;
import dev.gantry.rollout.domain.Action.RecordTransition;
import dev.gantry.rollout.domain.Action.RejectRequest;
import dev.gantry.rollout.domain.Action.SetWeight;
import dev.gantry.rollout.domain.Action.StartCanary;
import dev.gantry.rollout.domain.Action.StepCompleted;
import dev.gantry.rollout.domain.Action.StepStarted;
import dev.gantry.rollout.domain.Action.StopCanary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

  private static final Duration DEADLINE = Duration.ofMinutes(5);

  @Nested
  class Start {

    @Test
    void shouldStartCanaryAt5PercentWithAnAnalysisDeadlineWhenPending() {
      RolloutDriver rollout = drive(aSpec().withStepDeadline(DEADLINE).build());

      Decision decision = rollout.reconcile();

      assertThat(decision.actions())
          .containsExactly(
              new StartCanary(),
              new SetWeight(5),
              new StepStarted(0, 5, T0, T0.plus(DEADLINE)),
              new RecordTransition(
                  Phase.PENDING,
                  Phase.PROGRESSING,
                  Reasons.ROLLOUT_STARTED,
                  "canary v1.1.0 replaces v1.0.0",
                  T0));
      assertThat(decision.phase()).isEqualTo(Phase.PROGRESSING);
      assertThat(decision.status().stepDeadline()).isEqualTo(T0.plus(DEADLINE));
      assertThat(decision.wakeAt()).contains(T0.plus(DEADLINE));
    }

    @Test
    void shouldAbortWithoutStartingTheCanaryWhenAbortedBeforeItStarted() {
      RolloutDriver rollout = drive(aSpec().build());

      Decision decision = rollout.request(new Request.Abort());

      assertThat(decision.actions(StartCanary.class)).isEmpty();
      assertThat(decision.actions(SetWeight.class)).isEmpty();
      assertThat(decision.phase()).isEqualTo(Phase.ABORTED);
    }
  }

  @Nested
  class AnalysisGate {

    @Test
    void shouldWalk5To25To50To100AndPromoteWhenEveryStepPasses() {
      RolloutDriver rollout = drive(aSpec().build());
      List<Action> all = new ArrayList<>(rollout.reconcile().actions());

      for (int step = 0; step < 3; step++) {
        Decision decision = rollout.verdict(Verdict.PASS);
        all.addAll(decision.actions());
        assertThat(decision.phase()).isEqualTo(Phase.PROGRESSING);
        assertThat(decision.actions(StepCompleted.class))
            .containsExactly(
                new StepCompleted(
                    step, rollout.spec().step(step).weight(), Reasons.ANALYSIS_PASSED));
      }
      assertThat(rollout.status().canaryWeight()).isEqualTo(100);
      assertThat(rollout.phase()).isEqualTo(Phase.PROGRESSING);

      Decision last = rollout.verdict(Verdict.PASS);
      all.addAll(last.actions());

      assertThat(last.phase()).isEqualTo(Phase.PROMOTED);
      assertThat(last.actions())
          .containsExactly(
              new StepCompleted(3, 100, Reasons.ANALYSIS_PASSED),
              new MakeCanaryStable(),
              new RecordTransition(
                  Phase.PROGRESSING, Phase.PROMOTED, Reasons.PROMOTED, "every step passed", T0));
      assertThat(all)
          .filteredOn(SetWeight.class::isInstance)
          .containsExactly(
              new SetWeight(5), new SetWeight(25), new SetWeight(50), new SetWeight(100));
      assertThat(all).noneMatch(StopCanary.class::isInstance);
      assertThat(last.status().condition(ConditionType.COMPLETED))
          .hasValueSatisfying(
              c -> {
                assertThat(c.status()).isTrue();
                assertThat(c.reason()).isEqualTo(Reasons.PROMOTED);
              });
      assertThat(last.wakeAt()).isEmpty();
    }

    @Test
    void shouldRollBackAtOnceWhenAnalysisFailsAt25() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();
      rollout.verdict(Verdict.PASS);
      assertThat(rollout.status().canaryWeight()).isEqualTo(25);

      Decision decision = rollout.verdict(Verdict.FAIL);

      assertThat(decision.phase()).isEqualTo(Phase.ROLLED_BACK);
      assertThat(decision.actions())
          .containsExactly(
              new SetWeight(0),
              new StopCanary(),
              new RecordTransition(
                  Phase.PROGRESSING,
                  Phase.ROLLED_BACK,
                  Reasons.ANALYSIS_FAILED,
                  "FAIL from the test",
                  T0));
      assertThat(decision.actions(SetWeight.class).get(0).stableWeight()).isEqualTo(100);
      assertThat(decision.status().canaryWeight()).isZero();
      assertThat(decision.status().condition(ConditionType.COMPLETED).orElseThrow().reason())
          .isEqualTo(Reasons.ANALYSIS_FAILED);
    }

    @Test
    void shouldRollBackWhenAFailForAnEarlierStepArrivesLate() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();
      rollout.verdict(Verdict.PASS);

      Decision decision =
          rollout.request(new Request.ReportVerdict(0, Verdict.FAIL, "goroutines kept growing"));

      assertThat(decision.phase()).isEqualTo(Phase.ROLLED_BACK);
      assertThat(decision.actions()).contains(new SetWeight(0), new StopCanary());
    }

    @Test
    void shouldNameThePassThatLetAStepPassButNoVerdictForAPromote() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();

      Decision passed =
          rollout.request(new Request.ReportVerdict(0, Verdict.PASS, "fine", "verdict-17"));
      Decision promoted = rollout.request(new Request.Promote(false));

      assertThat(passed.actions(StepCompleted.class))
          .containsExactly(new StepCompleted(0, 5, Reasons.ANALYSIS_PASSED, "verdict-17"));
      assertThat(promoted.actions(StepCompleted.class))
          .containsExactly(new StepCompleted(1, 25, Reasons.MANUAL_PROMOTE, null));
    }

    @Test
    void shouldRejectAStalePassAndNotAdvanceOnIt() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();
      rollout.verdict(Verdict.PASS);

      RequestResult result = rollout.submit(new Request.ReportVerdict(0, Verdict.PASS, "late"));

      assertThat(result)
          .isInstanceOfSatisfying(
              RequestResult.Rejected.class,
              r -> assertThat(r.reason()).isEqualTo(Reasons.STALE_VERDICT));
      assertThat(rollout.reconcile().hasActions()).isFalse();
      assertThat(rollout.status().stepIndex()).isEqualTo(1);
    }

    @Test
    void shouldKeepAFailWhenAPassForTheSameStepFollowsBeforeTheReconcile() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();

      rollout.submit(new Request.ReportVerdict(0, Verdict.FAIL, "errors"));
      rollout.submit(new Request.ReportVerdict(0, Verdict.PASS, "fine"));

      assertThat(rollout.reconcile().phase()).isEqualTo(Phase.ROLLED_BACK);
    }

    @Test
    void shouldPauseWhenInconclusiveAndOpenAFreshWindowOnResume() {
      RolloutDriver rollout = drive(aSpec().withStepDeadline(DEADLINE).build());
      rollout.reconcile();
      rollout.verdict(Verdict.PASS);

      Decision paused = rollout.verdict(Verdict.INCONCLUSIVE);

      assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
      assertThat(paused.actions(SetWeight.class)).isEmpty();
      assertThat(paused.actions(RecordTransition.class))
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.to()).isEqualTo(Phase.PAUSED);
                assertThat(t.reason()).isEqualTo(Reasons.ANALYSIS_INCONCLUSIVE);
              });
      assertThat(paused.status().condition(ConditionType.PAUSED).orElseThrow().reason())
          .isEqualTo(Reasons.ANALYSIS_INCONCLUSIVE);
      assertThat(paused.status().canaryWeight()).isEqualTo(25);
      assertThat(paused.wakeAt()).isEmpty();
      assertThat(rollout.after(Duration.ofHours(1)).hasActions()).isFalse();

      Decision resumed = rollout.request(new Request.Resume());

      assertThat(resumed.phase()).isEqualTo(Phase.PROGRESSING);
      assertThat(resumed.actions(RecordTransition.class))
          .extracting(RecordTransition::reason)
          .containsExactly(Reasons.MANUAL_RESUME);
      assertThat(resumed.status().currentVerdict()).isEmpty();
      assertThat(resumed.status().stepDeadline()).isEqualTo(rollout.now().plus(DEADLINE));
      assertThat(rollout.verdict(Verdict.PASS).status().canaryWeight()).isEqualTo(50);
    }

    @Test
    void shouldPauseWithStepDeadlineExceededAndNeverPromoteWhenNoVerdictArrives() {
      RolloutDriver rollout =
          drive(aSpec().withSteps(Step.analysis(100)).withStepDeadline(DEADLINE).build());
      rollout.reconcile();

      assertThat(rollout.after(DEADLINE.minusSeconds(1)).hasActions()).isFalse();
      Decision atDeadline = rollout.after(Duration.ofSeconds(1));

      assertThat(atDeadline.phase()).isEqualTo(Phase.PAUSED);
      assertThat(atDeadline.status().condition(ConditionType.PAUSED))
          .hasValueSatisfying(
              c -> {
                assertThat(c.status()).isTrue();
                assertThat(c.reason()).isEqualTo(Reasons.STEP_DEADLINE_EXCEEDED);
                assertThat(c.since()).isEqualTo(T0.plus(DEADLINE));
              });
      assertThat(atDeadline.actions(MakeCanaryStable.class)).isEmpty();
      for (int i = 0; i < 10; i++) {
        Decision later = rollout.after(Duration.ofDays(1));
        assertThat(later.phase()).isEqualTo(Phase.PAUSED);
        assertThat(later.hasActions()).isFalse();
      }
    }
  }

  @Nested
  class PauseGate {

    @Test
    void shouldAdvanceOnlyWhenThePauseHasElapsed() {
      RolloutDriver rollout =
          drive(
              aSpec().withSteps(Step.pause(10, 60), Step.pause(50, 120), Step.manual(100)).build());
      Decision started = rollout.reconcile();
      assertThat(started.wakeAt()).contains(T0.plusSeconds(60));

      assertThat(rollout.after(Duration.ofSeconds(59)).hasActions()).isFalse();
      Decision second = rollout.after(Duration.ofSeconds(1));

      assertThat(second.actions())
          .containsExactly(
              new StepCompleted(0, 10, Reasons.PAUSE_ELAPSED),
              new SetWeight(50),
              new StepStarted(1, 50, T0.plusSeconds(60), T0.plusSeconds(180)));
      assertThat(rollout.after(Duration.ofSeconds(119)).hasActions()).isFalse();
      assertThat(rollout.after(Duration.ofSeconds(1)).status().canaryWeight()).isEqualTo(100);
    }

    @Test
    void shouldWalkEveryElapsedPauseInOneReconcileWhenTheTimerWasLate() {
      RolloutDriver rollout =
          drive(
              aSpec()
                  .withSteps(Step.pause(10, 60), Step.pause(50, 60), Step.pause(100, 60))
                  .build());
      rollout.reconcile();

      Decision late = rollout.after(Duration.ofMinutes(2));

      // a late timer must not shorten the next step's pause: it starts when the step starts
      assertThat(late.status().stepIndex()).isEqualTo(1);
      assertThat(late.status().stepDeadline()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
    }

    @Test
    void shouldPromoteWhenTheLastPauseElapses() {
      RolloutDriver rollout =
          drive(aSpec().withSteps(Step.pause(50, 30), Step.pause(100, 30)).build());
      rollout.reconcile();
      rollout.after(Duration.ofSeconds(30));

      Decision done = rollout.after(Duration.ofSeconds(30));

      assertThat(done.phase()).isEqualTo(Phase.PROMOTED);
      assertThat(done.actions()).contains(new MakeCanaryStable());
    }
  }

  /** ADR 0006 §7: the stored split never runs ahead of the router. */
  @Nested
  class RouterBehind {

    @Test
    void shouldNotPassAPauseGateUntilTheRouterAppliedTheStepAndCountThePauseFromThen() {
      RolloutDriver rollout =
          drive(aSpec().withSteps(Step.pause(10, 60), Step.pause(100, 60)).build()).routerDown();
      Decision started = rollout.reconcile();
      assertThat(started.status().stepDeadline()).isNull();
      assertThat(started.wakeAt()).as("nothing for a timer to do").isEmpty();

      Decision muchLater = rollout.after(Duration.ofMinutes(10));

      assertThat(muchLater.hasActions()).isFalse();
      assertThat(rollout.status().stepIndex()).isZero();

      Decision applied = rollout.routerBack();
      Instant appliedAt = rollout.now();
      assertThat(applied.status().appliedStep()).isZero();
      assertThat(applied.status().appliedAt()).isEqualTo(appliedAt);
      assertThat(applied.status().stepDeadline()).isEqualTo(appliedAt.plusSeconds(60));
      assertThat(applied.wakeAt()).contains(appliedAt.plusSeconds(60));
      assertThat(rollout.after(Duration.ofSeconds(59)).hasActions()).isFalse();
      assertThat(rollout.after(Duration.ofSeconds(1)).actions())
          .contains(new StepCompleted(0, 10, Reasons.PAUSE_ELAPSED), new SetWeight(100));
    }

    @Test
    void shouldNotWalkPastAStepTheRouterHasNotAppliedWhenThePausesAreOver() {
      RolloutDriver rollout =
          drive(aSpec().withSteps(Step.pause(10, 60), Step.pause(100, 60)).build());
      rollout.reconcile();
      rollout.routerDown();

      Decision next = rollout.after(Duration.ofSeconds(60));
      Decision later = rollout.after(Duration.ofHours(1));

      assertThat(next.actions()).contains(new SetWeight(100));
      assertThat(later.hasActions()).isFalse();
      assertThat(rollout.phase()).isEqualTo(Phase.PROGRESSING);
      assertThat(rollout.status().stepIndex()).isEqualTo(1);
    }

    @Test
    void shouldNotPromoteAFirstDeployThatTheRouterHasNotApplied() {
      RolloutDriver rollout =
          drive(aSpec().withFirstDeploy().withSteps(Step.pause(100, 1)).build()).routerDown();
      rollout.reconcile();

      Decision later = rollout.after(Duration.ofMinutes(5));

      assertThat(later.actions(MakeCanaryStable.class)).isEmpty();
      assertThat(rollout.phase()).isEqualTo(Phase.PROGRESSING);

      rollout.routerBack();
      assertThat(rollout.after(Duration.ofSeconds(1)).phase()).isEqualTo(Phase.PROMOTED);
    }

    @Test
    void shouldHoldAPassUntilTheRouterAppliedTheStep() {
      RolloutDriver rollout = drive(aSpec().build()).routerDown();
      rollout.reconcile();

      Decision pass = rollout.verdict(Verdict.PASS);

      assertThat(pass.actions(StepCompleted.class)).isEmpty();
      assertThat(rollout.status().canaryWeight()).isEqualTo(5);
      assertThat(rollout.routerBack().actions())
          .contains(new StepCompleted(0, 5, Reasons.ANALYSIS_PASSED), new SetWeight(25));
    }

    @Test
    void shouldCountTheAnalysisDeadlineFromWhenTheRouterAppliedTheStep() {
      RolloutDriver rollout = drive(aSpec().withStepDeadline(DEADLINE).build()).routerDown();
      rollout.reconcile();
      assertThat(rollout.after(DEADLINE.multipliedBy(3)).hasActions()).isFalse();

      rollout.routerBack();

      assertThat(rollout.after(DEADLINE.minusSeconds(1)).hasActions()).isFalse();
      assertThat(rollout.after(Duration.ofSeconds(1)).phase()).isEqualTo(Phase.PAUSED);
      assertThat(rollout.status().condition(ConditionType.PAUSED).orElseThrow().reason())
          .isEqualTo(Reasons.STEP_DEADLINE_EXCEEDED);
    }

    @Test
    void shouldStillRollBackAndAbortAtOnceWhileTheRouterIsBehind() {
      RolloutDriver failed = drive(aSpec().build()).routerDown();
      failed.reconcile();
      RolloutDriver aborted = drive(aSpec().build()).routerDown();
      aborted.reconcile();

      assertThat(failed.verdict(Verdict.FAIL).phase()).isEqualTo(Phase.ROLLED_BACK);
      assertThat(aborted.request(new Request.Abort()).phase()).isEqualTo(Phase.ABORTED);
    }

    @Test
    void shouldRecordAnAppliedStepOnceAndIgnoreTheRouteOfAStepTheRolloutHasLeft() {
      RolloutSpec spec = aSpec().withStepDeadline(DEADLINE).build();
      RolloutStatus atStep0 = Reconciler.reconcile(spec, RolloutStatus.initial(), T0).status();

      RolloutStatus applied = Reconciler.applied(spec, atStep0, 0, 5, T0.plusSeconds(1));
      RolloutStatus again = Reconciler.applied(spec, applied, 0, 5, T0.plusSeconds(9));

      assertThat(applied.appliedAt()).isEqualTo(T0.plusSeconds(1));
      assertThat(again).as("a converge that runs again extends nothing").isEqualTo(applied);
      assertThat(Reconciler.applied(spec, atStep0, 1, 25, T0)).isEqualTo(atStep0);
      assertThat(Reconciler.applied(spec, atStep0, 0, 25, T0)).isEqualTo(atStep0);
      assertThat(Reconciler.applied(spec, RolloutStatus.initial(), -1, 0, T0))
          .isEqualTo(RolloutStatus.initial());
    }
  }

  @Nested
  class ManualGate {

    @Test
    void shouldWaitForAPromoteHoweverLongItTakes() {
      RolloutDriver rollout = drive(aSpec().withSteps(Step.manual(20), Step.analysis(100)).build());

      Decision started = rollout.reconcile();

      assertThat(started.phase()).isEqualTo(Phase.PAUSED);
      assertThat(started.status().condition(ConditionType.PAUSED).orElseThrow().reason())
          .isEqualTo(Reasons.AWAITING_MANUAL_PROMOTE);
      assertThat(started.status().stepDeadline()).isNull();
      assertThat(started.wakeAt()).isEmpty();
      assertThat(rollout.after(Duration.ofDays(30)).hasActions()).isFalse();

      Decision promoted = rollout.request(new Request.Promote(false));

      assertThat(promoted.phase()).isEqualTo(Phase.PROGRESSING);
      assertThat(promoted.actions())
          .contains(
              new StepCompleted(0, 20, Reasons.MANUAL_PROMOTE),
              new SetWeight(100),
              new StepStarted(
                  1, 100, rollout.now(), rollout.now().plus(rollout.spec().stepDeadline())));
    }

    @Test
    void shouldRejectResumeWhenTheStepWaitsForAPromote() {
      RolloutDriver rollout = drive(aSpec().withSteps(Step.manual(20), Step.analysis(100)).build());
      rollout.reconcile();

      RequestResult result = rollout.submit(new Request.Resume());

      assertThat(result)
          .isInstanceOfSatisfying(
              RequestResult.Rejected.class,
              r -> assertThat(r.reason()).isEqualTo(Reasons.ILLEGAL_TRANSITION));
      assertThat(rollout.phase()).isEqualTo(Phase.PAUSED);
    }
  }

  @Nested
  class OperatorRequests {

    @Test
    void shouldAdvanceOneStepOnPromoteWithoutAVerdict() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();

      Decision decision = rollout.request(new Request.Promote(false));

      assertThat(decision.status().stepIndex()).isEqualTo(1);
      assertThat(decision.actions()).contains(new SetWeight(25));
      assertThat(decision.phase()).isEqualTo(Phase.PROGRESSING);
    }

    @Test
    void shouldJumpTo100AndPromoteOnPromoteFull() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();
      rollout.verdict(Verdict.PASS);

      Decision decision = rollout.request(new Request.Promote(true));

      assertThat(decision.phase()).isEqualTo(Phase.PROMOTED);
      assertThat(decision.actions())
          .containsExactly(
              new SetWeight(100),
              new MakeCanaryStable(),
              new RecordTransition(
                  Phase.PROGRESSING,
                  Phase.PROMOTED,
                  Reasons.MANUAL_PROMOTE_FULL,
                  "promoted to 100 % by an operator",
                  T0));
      assertThat(decision.status().canaryWeight()).isEqualTo(100);
    }

    @Test
    void shouldPromoteFullFromAPausedRollout() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();
      rollout.verdict(Verdict.INCONCLUSIVE);

      Decision decision = rollout.request(new Request.Promote(true));

      assertThat(decision.actions(RecordTransition.class))
          .extracting(RecordTransition::from, RecordTransition::to)
          .containsExactly(
              tuple(Phase.PAUSED, Phase.PROGRESSING), tuple(Phase.PROGRESSING, Phase.PROMOTED));
      assertThat(decision.status().holds(ConditionType.PAUSED)).isFalse();
    }

    @Test
    void shouldHoldTheWeightOnPauseAndGoOnAfterResume() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();

      Decision paused = rollout.request(new Request.Pause());
      assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
      assertThat(paused.status().condition(ConditionType.PAUSED).orElseThrow().reason())
          .isEqualTo(Reasons.MANUAL_PAUSE);

      // a PASS while paused is kept, but only moves the rollout once it is resumed
      Decision passWhilePaused = rollout.verdict(Verdict.PASS);
      assertThat(passWhilePaused.hasActions()).isFalse();
      assertThat(rollout.status().canaryWeight()).isEqualTo(5);

      Decision resumed = rollout.request(new Request.Resume());
      assertThat(resumed.phase()).isEqualTo(Phase.PROGRESSING);
      assertThat(resumed.status().stepIndex()).isEqualTo(1);
      assertThat(resumed.actions()).contains(new SetWeight(25));
    }

    @Test
    void shouldRejectResumeWhenNotPaused() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();

      assertThat(rollout.submit(new Request.Resume())).isInstanceOf(RequestResult.Rejected.class);
    }

    @Test
    void shouldAbortWithWeightZeroAndStopTheCanary() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();
      rollout.verdict(Verdict.PASS);
      rollout.verdict(Verdict.PASS);

      Decision decision = rollout.request(new Request.Abort());

      assertThat(decision.phase()).isEqualTo(Phase.ABORTED);
      assertThat(decision.actions())
          .containsExactly(
              new SetWeight(0),
              new StopCanary(),
              new RecordTransition(
                  Phase.PROGRESSING,
                  Phase.ABORTED,
                  Reasons.MANUAL_ABORT,
                  "aborted by an operator",
                  T0));
      assertThat(decision.status().canaryWeight()).isZero();
    }

    @Test
    void shouldAbortForANewerBuildWithItsOwnReasonNotAsAnOperator() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();

      Decision decision =
          rollout.request(
              new Request.Abort(
                  "aborted for build b-43 (v1.2.0), which is newer",
                  Reasons.SUPERSEDED_BY_NEWER_BUILD));

      assertThat(decision.actions(RecordTransition.class))
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.to()).isEqualTo(Phase.ABORTED);
                assertThat(t.reason()).isEqualTo(Reasons.SUPERSEDED_BY_NEWER_BUILD);
                assertThat(t.message()).contains("b-43");
              });
    }

    @Test
    void shouldKeepTheFirstRollbackRequestsTimeAndEventWhenAnotherFollows() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();
      rollout.submit(new Request.Rollback("5xx", null, "event-1"));
      Instant first = rollout.now();
      rollout.at(first.plusSeconds(1)).submit(new Request.Rollback("again", null, "event-2"));

      PendingRequests pending = rollout.status().requests();

      assertThat(pending.rollbackCauseId()).isEqualTo("event-1");
      assertThat(pending.rollbackRequestedAt()).isEqualTo(first);
      assertThat(rollout.reconcile().phase()).isEqualTo(Phase.ROLLED_BACK);
    }

    @Test
    void shouldRollBackAtOnceWhenRollbackIsRequestedEvenWhilePaused() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();
      rollout.verdict(Verdict.PASS);
      rollout.request(new Request.Pause());

      Decision decision = rollout.request(new Request.Rollback("p99 latency doubled"));

      assertThat(decision.phase()).isEqualTo(Phase.ROLLED_BACK);
      assertThat(decision.actions())
          .containsExactly(
              new SetWeight(0),
              new StopCanary(),
              new RecordTransition(
                  Phase.PAUSED,
                  Phase.ROLLED_BACK,
                  Reasons.ROLLBACK_REQUESTED,
                  "p99 latency doubled",
                  T0));
      assertThat(decision.status().holds(ConditionType.PAUSED)).isFalse();
      assertThat(decision.status().condition(ConditionType.COMPLETED).orElseThrow().message())
          .isEqualTo("p99 latency doubled");
    }

    @Test
    void shouldLetRollbackWinOverAPromoteAndReportThePromoteAsRejected() {
      RolloutDriver rollout = drive(aSpec().build());
      rollout.reconcile();
      rollout.submit(new Request.Promote(true));
      rollout.submit(new Request.Rollback("FAIL"));

      Decision decision = rollout.reconcile();

      assertThat(decision.phase()).isEqualTo(Phase.ROLLED_BACK);
      assertThat(decision.actions(MakeCanaryStable.class)).isEmpty();
      assertThat(decision.actions(RejectRequest.class))
          .singleElement()
          .satisfies(r -> assertThat(r.request()).isEqualTo(new Request.Promote(true)));
    }
  }

  @Nested
  class TerminalPhases {

    @Test
    void shouldRejectEveryRequestOnceTheRolloutHasEnded() {
      for (RolloutDriver rollout : endedRollouts()) {
        Phase phase = rollout.phase();
        List<Request> requests =
            List.of(
                new Request.Promote(false),
                new Request.Promote(true),
                new Request.Pause(),
                new Request.Resume(),
                new Request.Abort(),
                new Request.Rollback("again"),
                new Request.ReportVerdict(rollout.status().stepIndex(), Verdict.FAIL, "late"));

        for (Request request : requests) {
          assertThat(rollout.submit(request))
              .as("%s in %s", request, phase)
              .isInstanceOfSatisfying(
                  RequestResult.Rejected.class,
                  r -> assertThat(r.reason()).isEqualTo(Reasons.ILLEGAL_TRANSITION));
        }
        assertThat(rollout.after(Duration.ofDays(1)).hasActions()).isFalse();
        assertThat(rollout.phase()).isEqualTo(phase);
      }
    }

    @Test
    void shouldReportRequestsFoundOnAnEndedRolloutAsRejectedAndNotMove() {
      RolloutDriver promoted = endedRollouts().get(0);
      RolloutStatus withStaleRequests =
          promoted
              .status()
              .withRequests(PendingRequests.NONE.withAbort().withRollback("x").withPromote(true));

      Decision decision = Reconciler.reconcile(promoted.spec(), withStaleRequests, promoted.now());

      assertThat(decision.phase()).isEqualTo(Phase.PROMOTED);
      assertThat(decision.actions()).allMatch(RejectRequest.class::isInstance).hasSize(3);
      assertThat(decision.status().requests().isEmpty()).isTrue();
      assertThat(Reconciler.reconcile(promoted.spec(), decision.status(), promoted.now()).actions())
          .isEmpty();
    }

    private List<RolloutDriver> endedRollouts() {
      RolloutDriver promoted = drive(aSpec().build());
      promoted.reconcile();
      promoted.request(new Request.Promote(true));
      RolloutDriver aborted = drive(aSpec().build());
      aborted.reconcile();
      aborted.request(new Request.Abort());
      RolloutDriver rolledBack = drive(aSpec().build());
      rolledBack.reconcile();
      rolledBack.verdict(Verdict.FAIL);
      assertThat(List.of(promoted.phase(), aborted.phase(), rolledBack.phase()))
          .containsExactly(Phase.PROMOTED, Phase.ABORTED, Phase.ROLLED_BACK);
      return List.of(promoted, aborted, rolledBack);
    }
  }
}

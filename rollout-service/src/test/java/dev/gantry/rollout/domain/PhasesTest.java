package dev.gantry.rollout.domain;

import static dev.gantry.rollout.domain.RolloutDriver.T0;
import static dev.gantry.rollout.domain.RolloutSpecBuilder.aSpec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhasesTest {

  private final RolloutSpec spec = aSpec().build();
  private final RolloutStatus atFirstStep =
      RolloutStatus.initial().withStep(0, 5, T0, T0.plusSeconds(300));

  @Test
  void shouldBePendingWhenNoStepHasStarted() {
    assertThat(Phases.derive(spec, RolloutStatus.initial())).isEqualTo(Phase.PENDING);
  }

  @Test
  void shouldBeProgressingWhenAStepRunsAndNothingPausesIt() {
    assertThat(Phases.derive(spec, atFirstStep)).isEqualTo(Phase.PROGRESSING);
  }

  @Test
  void shouldBePausedWhileAPausedConditionHolds() {
    RolloutStatus paused =
        atFirstStep.withCondition(
            Condition.isTrue(ConditionType.PAUSED, Reasons.MANUAL_PAUSE, "paused", T0));

    assertThat(Phases.derive(spec, paused)).isEqualTo(Phase.PAUSED);
  }

  @Test
  void shouldBeProgressingAgainWhenThePausedConditionTurnsFalse() {
    RolloutStatus resumed =
        atFirstStep
            .withCondition(
                Condition.isTrue(ConditionType.PAUSED, Reasons.MANUAL_PAUSE, "paused", T0))
            .withCondition(
                Condition.isFalse(ConditionType.PAUSED, Reasons.MANUAL_RESUME, "resumed", T0));

    assertThat(Phases.derive(spec, resumed)).isEqualTo(Phase.PROGRESSING);
  }

  @Test
  void shouldFollowTheOutcomeOverAnyConditionOnceTheRolloutHasEnded() {
    RolloutStatus paused =
        atFirstStep.withCondition(
            Condition.isTrue(ConditionType.PAUSED, Reasons.MANUAL_PAUSE, "paused", T0));

    assertThat(Phases.derive(spec, paused.withOutcome(Outcome.PROMOTED))).isEqualTo(Phase.PROMOTED);
    assertThat(Phases.derive(spec, paused.withOutcome(Outcome.ABORTED))).isEqualTo(Phase.ABORTED);
    assertThat(Phases.derive(spec, paused.withOutcome(Outcome.ROLLED_BACK)))
        .isEqualTo(Phase.ROLLED_BACK);
  }

  @Test
  void shouldKeepTheFirstSinceWhenTheSameConditionIsSetAgain() {
    RolloutStatus once =
        atFirstStep.withCondition(
            Condition.isTrue(ConditionType.PAUSED, Reasons.MANUAL_PAUSE, "paused", T0));

    RolloutStatus twice =
        once.withCondition(
            Condition.isTrue(
                ConditionType.PAUSED, Reasons.MANUAL_PAUSE, "paused", T0.plusSeconds(60)));

    assertThat(twice).isEqualTo(once);
    assertThat(twice.conditions()).hasSize(1);
  }
}

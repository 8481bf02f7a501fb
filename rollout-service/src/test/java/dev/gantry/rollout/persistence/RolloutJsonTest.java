package dev.gantry.rollout.persistence;

import static dev.gantry.rollout.domain.RolloutSpecBuilder.aSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.rollout.domain.Condition;
import dev.gantry.rollout.domain.ConditionType;
import dev.gantry.rollout.domain.Outcome;
import dev.gantry.rollout.domain.PendingRequests;
import dev.gantry.rollout.domain.RolloutSpec;
import dev.gantry.rollout.domain.RolloutStatus;
import dev.gantry.rollout.domain.Step;
import dev.gantry.rollout.domain.StepVerdict;
import dev.gantry.rollout.domain.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutJsonTest {

  private static final Instant AT = Instant.parse("2025-06-01T10:00:00.123456789Z");

  @Test
  void shouldRoundTripASpecWithEveryKindOfGate() {
    RolloutSpec spec =
        aSpec()
            .withFirstDeploy()
            .withSteps(Step.pause(10, 30), Step.analysis(50), Step.manual(100))
            .withStepDeadline(Duration.ofSeconds(90))
            .build();

    String json = RolloutJson.write(spec);

    assertThat(RolloutJson.readSpec(json)).isEqualTo(spec);
    assertThat(json)
        .contains("\"type\":\"pause\"", "\"type\":\"analysis\"", "\"type\":\"manual\"")
        .contains("\"stepDeadline\":\"PT1M30S\"");
  }

  @Test
  void shouldRoundTripAStatusWithRequestsVerdictConditionsAndOutcome() {
    RolloutStatus status =
        new RolloutStatus(
            2,
            50,
            AT,
            AT.plusSeconds(300),
            PendingRequests.NONE
                .withPromote(true)
                .withPause()
                .withAbort("a newer build", "SupersededByNewerBuild")
                .withRollback("latency", null, "event-7", AT.plusMillis(3)),
            new StepVerdict(
                2, Verdict.INCONCLUSIVE, "too few samples", AT.plusMillis(5), "verdict-9"),
            Outcome.ROLLED_BACK,
            List.of(
                Condition.isTrue(ConditionType.PAUSED, "AnalysisInconclusive", "held", AT),
                Condition.isFalse(ConditionType.PROGRESSING, "RollbackRequested", "rb", AT)),
            2,
            AT.plusSeconds(1));

    String json = RolloutJson.write(status);

    assertThat(RolloutJson.readStatus(json)).isEqualTo(status);
    assertThat(json).contains("\"stepStartedAt\":\"2025-06-01T10:00:00.123456789Z\"");
    assertThat(json).doesNotContain("\"empty\"");
  }

  @Test
  void shouldRoundTripTheInitialStatus() {
    RolloutStatus initial = RolloutStatus.initial();

    assertThat(RolloutJson.readStatus(RolloutJson.write(initial))).isEqualTo(initial);
  }
}

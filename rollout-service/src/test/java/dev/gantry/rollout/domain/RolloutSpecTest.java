package dev.gantry.rollout.domain;

import static dev.gantry.rollout.domain.RolloutSpecBuilder.aSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutSpecTest {

  @Test
  void shouldDefaultTo5To25To50To100WithAnAnalysisBetweenSteps() {
    assertThat(RolloutSpec.defaultSteps()).extracting(Step::weight).containsExactly(5, 25, 50, 100);
    assertThat(RolloutSpec.defaultSteps()).allMatch(s -> s.gate() instanceof Gate.Analysis);
  }

  @Test
  void shouldAcceptAFirstDeployWithoutAStableVersion() {
    assertThat(aSpec().withFirstDeploy().build().stableVersion()).isNull();
  }

  @Test
  void shouldAcceptASingleStepAt100() {
    assertThat(aSpec().withSteps(Step.manual(100)).build().lastStepIndex()).isZero();
  }

  @Test
  void shouldRejectWeightsThatDoNotStrictlyIncrease() {
    assertProblems(
        aSpec().withSteps(Step.analysis(25), Step.analysis(25), Step.analysis(100)),
        "step 1: weights must strictly increase, 25 <= 25");
    assertProblems(
        aSpec().withSteps(Step.analysis(50), Step.analysis(10), Step.analysis(100)),
        "step 1: weights must strictly increase, 10 <= 50");
  }

  @Test
  void shouldRejectALastStepBelow100() {
    assertProblems(
        aSpec().withSteps(Step.analysis(5), Step.analysis(50)),
        "the last step must take 100 % of the traffic, was 50");
  }

  @Test
  void shouldRejectWeightsOutside1To100() {
    assertProblems(
        aSpec().withSteps(Step.analysis(0), Step.analysis(100)),
        "step 0: weight must be between 1 and 100, was 0");
    assertProblems(
        aSpec().withSteps(Step.analysis(50), Step.analysis(150)),
        "step 1: weight must be between 1 and 100, was 150");
  }

  @Test
  void shouldRejectNoSteps() {
    assertProblems(aSpec().withSteps(), "steps must not be empty");
  }

  @Test
  void shouldRejectAStepWithoutAGate() {
    assertProblems(
        aSpec().withSteps(new Step(50, null), Step.analysis(100)),
        "step 0 needs a weight and a gate");
  }

  @Test
  void shouldRejectAPauseShorterThanASecond() {
    assertProblems(
        aSpec().withSteps(Step.pause(50, 0), Step.analysis(100)),
        "step 0: a pause lasts at least 1 second, was 0");
  }

  @Test
  void shouldRejectANonPositiveStepDeadline() {
    assertProblems(
        aSpec().withStepDeadline(Duration.ZERO), "stepDeadline must be positive, was PT0S");
    assertProblems(aSpec().withStepDeadline(null), "stepDeadline must be positive, was null");
  }

  @Test
  void shouldRejectBlankIdentityAndReportEveryProblemAtOnce() {
    assertThatThrownBy(
            () -> aSpec().withApp(" ").withCanaryVersion(null).withSteps(Step.analysis(50)).build())
        .isInstanceOfSatisfying(
            InvalidRolloutSpecException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "app must not be blank",
                        "canaryVersion must not be blank",
                        "the last step must take 100 % of the traffic, was 50"));
  }

  @Test
  void shouldNotShareTheStepListItWasGiven() {
    List<Step> steps = new ArrayList<>(List.of(Step.analysis(50), Step.analysis(100)));
    RolloutSpec spec =
        new RolloutSpec(
            "hello",
            new Release("v2", "b-1", "abc", "artifacts/hello/v2/linux_amd64/hello"),
            new Release("v1", "b-0", "def", "artifacts/hello/v1/linux_amd64/hello"),
            steps,
            Duration.ofMinutes(1));

    steps.add(Step.analysis(100));

    assertThat(spec.steps()).hasSize(2);
  }

  private static void assertProblems(RolloutSpecBuilder spec, String... problems) {
    assertThatThrownBy(spec::build)
        .isInstanceOfSatisfying(
            InvalidRolloutSpecException.class,
            e -> assertThat(e.problems()).containsExactly(problems));
  }
}

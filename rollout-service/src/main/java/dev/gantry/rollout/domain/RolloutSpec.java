package dev.gantry.rollout.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rollout should do: which canary replaces which stable version, and in which steps.
 *
 * @param canary the version being rolled out
 * @param stable the version serving now; null for an app's first deploy
 * @param stepDeadline how long an analysis step waits for a verdict before it pauses
 */
public record RolloutSpec(
    String app, Release canary, Release stable, List<Step> steps, Duration stepDeadline) {

  public static final Duration DEFAULT_STEP_DEADLINE = Duration.ofMinutes(10);

  public RolloutSpec {
    steps = steps == null ? null : List.copyOf(steps);
    List<String> problems =
        problems(
            app,
            canary == null ? null : canary.version(),
            canary == null ? null : canary.buildId(),
            canary == null ? null : canary.commit(),
            steps);
    if (stepDeadline == null || stepDeadline.isNegative() || stepDeadline.isZero()) {
      problems.add("stepDeadline must be positive, was " + stepDeadline);
    }
    if (!problems.isEmpty()) {
      throw new InvalidRolloutSpecException(problems);
    }
  }

  /** 5, 25, 50 and 100 %, each gated by an analysis verdict. */
  public static List<Step> defaultSteps() {
    return List.of(Step.analysis(5), Step.analysis(25), Step.analysis(50), Step.analysis(100));
  }

  public String canaryVersion() {
    return canary.version();
  }

  /** The stable version, or null on a first deploy. */
  public String stableVersion() {
    return stable == null ? null : stable.version();
  }

  public int lastStepIndex() {
    return steps.size() - 1;
  }

  public Step step(int index) {
    return steps.get(index);
  }

  private static List<String> problems(
      String app, String canaryVersion, String buildId, String commit, List<Step> steps) {
    List<String> problems = new ArrayList<>();
    requireText(problems, "app", app);
    requireText(problems, "canaryVersion", canaryVersion);
    requireText(problems, "canaryBuildId", buildId);
    requireText(problems, "canaryCommit", commit);
    problems.addAll(stepProblems(steps));
    return problems;
  }

  /** What is wrong with a list of steps; empty when they make a valid rollout. */
  public static List<String> stepProblems(List<Step> steps) {
    List<String> problems = new ArrayList<>();
    if (steps == null || steps.isEmpty()) {
      problems.add("steps must not be empty");
      return problems;
    }
    int previous = 0;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step == null || step.gate() == null) {
        problems.add("step " + i + " needs a weight and a gate");
        continue;
      }
      if (step.weight() < 1 || step.weight() > 100) {
        problems.add("step " + i + ": weight must be between 1 and 100, was " + step.weight());
      } else if (step.weight() <= previous) {
        problems.add(
            "step " + i + ": weights must strictly increase, " + step.weight() + " <= " + previous);
      }
      if (step.gate() instanceof Gate.Pause pause && pause.seconds() < 1) {
        problems.add("step " + i + ": a pause lasts at least 1 second, was " + pause.seconds());
      }
      previous = step.weight();
    }
    Step last = steps.get(steps.size() - 1);
    if (last != null && last.weight() >= 1 && last.weight() < 100) {
      problems.add("the last step must take 100 % of the traffic, was " + last.weight());
    }
    return problems;
  }

  private static void requireText(List<String> problems, String field, String value) {
    if (value == null || value.isBlank()) {
      problems.add(field + " must not be blank");
    }
  }
}

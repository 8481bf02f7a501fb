package dev.gantry.rollout.domain;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Test data: {@code aSpec().withSteps(Step.manual(50), Step.analysis(100)).build()}. */
public final class RolloutSpecBuilder {

  private String app = "hello";
  private String canaryVersion = "v1.1.0";
  private String canaryBuildId = "b-42";
  private String canaryCommit = "0123456789abcdef0123456789abcdef01234567";
  private String stableVersion = "v1.0.0";
  private List<Step> steps = RolloutSpec.defaultSteps();
  private Duration stepDeadline = Duration.ofMinutes(5);

  public static RolloutSpecBuilder aSpec() {
    return new RolloutSpecBuilder();
  }

  public RolloutSpecBuilder withApp(String app) {
    this.app = app;
    return this;
  }

  public RolloutSpecBuilder withCanaryVersion(String version) {
    this.canaryVersion = version;
    return this;
  }

  public RolloutSpecBuilder withFirstDeploy() {
    this.stableVersion = null;
    return this;
  }

  public RolloutSpecBuilder withSteps(Step... steps) {
    this.steps = Arrays.asList(steps);
    return this;
  }

  public RolloutSpecBuilder withStepDeadline(Duration deadline) {
    this.stepDeadline = deadline;
    return this;
  }

  public RolloutSpec build() {
    return new RolloutSpec(
        app, canaryVersion, canaryBuildId, canaryCommit, stableVersion, steps, stepDeadline);
  }
}

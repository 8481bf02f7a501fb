package dev.gantry.rollout.domain;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Test data: {@code aSpec().withSteps(Step.manual(50), Step.analysis(100)).build()}. */
public final class RolloutSpecBuilder {

  private String app = "hello";
  private String canaryVersion = "v1.1.0";
  // every spec its own build: a build starts one rollout at most
  private String canaryBuildId = "b-" + java.util.UUID.randomUUID();
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

  public RolloutSpecBuilder withCanaryBuildId(String buildId) {
    this.canaryBuildId = buildId;
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
        app,
        new Release(canaryVersion, canaryBuildId, canaryCommit, artifact(canaryVersion)),
        stableVersion == null
            ? null
            : new Release(
                stableVersion,
                "b-41",
                "fedcba9876543210fedcba9876543210fedcba98",
                artifact(stableVersion)),
        steps,
        stepDeadline);
  }

  private String artifact(String version) {
    return "artifacts/" + app + "/" + version + "/linux_amd64/" + app;
  }
}

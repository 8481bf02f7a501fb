package dev.gantry.buildapi.domain;

/** The share of an app's traffic a build serves now, from what its trail recorded. */
public final class Traffic {
  private Traffic() {}

  /**
   * @param ownWeight the canary weight its own rollout last reported
   * @param superseded a newer build was promoted over it
   * @param replacingCanaryWeight the weight of a newer canary that is rolling out against it as the
   *     stable version, or null when there is none: the stable serves what the canary does not
   */
  public static int percentNow(
      DeploymentPhase phase, int ownWeight, boolean superseded, Integer replacingCanaryWeight) {
    return switch (phase) {
      case PROGRESSING, PAUSED -> ownWeight;
      case PROMOTED ->
          superseded ? 0 : replacingCanaryWeight == null ? 100 : 100 - replacingCanaryWeight;
      case ABORTED, ROLLED_BACK -> 0;
    };
  }
}

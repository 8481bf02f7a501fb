package dev.gantry.buildapi.domain;

/** Where a build's rollout stands, as rollout-service last reported it. */
public enum DeploymentPhase {
  /** Started or moving through its steps. */
  PROGRESSING,
  /** Holding at its current weight until an operator acts. */
  PAUSED,
  /** The build became the stable version and took all traffic. */
  PROMOTED,
  /** Stopped by an operator or a newer build; the stable version serves everything. */
  ABORTED,
  /** Taken out of service because it misbehaved; the stable version serves everything. */
  ROLLED_BACK;

  /** A rollout in one of these phases is over: nothing reported for it later can change it. */
  public boolean isFinished() {
    return this == PROMOTED || this == ABORTED || this == ROLLED_BACK;
  }
}

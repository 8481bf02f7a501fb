package dev.gantry.rollout.domain;

/** Where a rollout is, derived from its spec and status by {@link Phases#derive}. */
public enum Phase {
  PENDING,
  PROGRESSING,
  PAUSED,
  PROMOTED,
  ABORTED,
  ROLLED_BACK;

  public boolean isTerminal() {
    return this == PROMOTED || this == ABORTED || this == ROLLED_BACK;
  }
}

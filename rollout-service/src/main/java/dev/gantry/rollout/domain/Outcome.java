package dev.gantry.rollout.domain;

/** How a finished rollout ended; once set, the rollout never moves again. */
public enum Outcome {
  PROMOTED,
  ABORTED,
  ROLLED_BACK
}

package dev.gantry.rollout.domain;

/** At most one condition of each type is held at a time. */
public enum ConditionType {
  /** True while steps are being walked; false once the rollout has ended. */
  PROGRESSING,
  /** True while the rollout holds its weight and waits for someone or something. */
  PAUSED,
  /** True once the rollout has ended; the reason says how. */
  COMPLETED
}

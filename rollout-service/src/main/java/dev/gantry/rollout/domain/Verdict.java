package dev.gantry.rollout.domain;

/** monitor-service's judgement of the canary against stable. */
public enum Verdict {
  PASS,
  FAIL,
  /** Not enough data, or too noisy to tell: never a reason to advance. */
  INCONCLUSIVE
}

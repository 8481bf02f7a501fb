package dev.gantry.events.analysis;

/** What the comparison of canary and stable found. */
public enum Verdict {
  /** Enough data, and the canary is no worse than stable: the rollout may advance. */
  PASS,
  /** The canary is worse beyond its thresholds: roll back. */
  FAIL,
  /** Not enough data, or too noisy to tell: never a reason to advance. */
  INCONCLUSIVE
}

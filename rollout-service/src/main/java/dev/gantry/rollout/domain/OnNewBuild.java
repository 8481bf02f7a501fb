package dev.gantry.rollout.domain;

/** What a newer build of an app does while one of its rollouts is still running. */
public enum OnNewBuild {
  /** Waits until the running rollout ends, then starts; a still newer build takes its place. */
  QUEUE,
  /** Aborts the running rollout and starts at once. */
  REPLACE
}

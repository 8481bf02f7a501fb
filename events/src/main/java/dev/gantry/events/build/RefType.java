package dev.gantry.events.build;

/** Whether a build was triggered by a branch or a tag. */
public enum RefType {
  BRANCH,
  TAG
}

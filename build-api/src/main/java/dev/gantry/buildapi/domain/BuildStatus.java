package dev.gantry.buildapi.domain;

import java.util.EnumSet;
import java.util.Set;

public enum BuildStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  SKIPPED;

  /** Statuses a build never leaves: late or duplicate events cannot move it back. */
  public static final Set<BuildStatus> TERMINAL = EnumSet.of(SUCCEEDED, FAILED, CANCELLED, SKIPPED);

  /** Statuses in which another push of the same commit reuses the build instead of a new one. */
  public static final Set<BuildStatus> LIVE = EnumSet.of(QUEUED, RUNNING, SUCCEEDED);

  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  public boolean isActive() {
    return this == QUEUED || this == RUNNING;
  }
}

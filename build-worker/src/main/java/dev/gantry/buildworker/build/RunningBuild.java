package dev.gantry.buildworker.build;

import dev.gantry.buildworker.process.ProcessRunner;
import java.time.Duration;

/**
 * The handle of a build in progress: the one place a cancel, a supersede or a shutdown reaches it.
 * Once the build enters publication a cancel no longer applies: the build has, in effect, already
 * succeeded.
 */
public final class RunningBuild {
  private final String buildId;
  private final ProcessRunner runner;
  private String reason;
  private boolean cancelRequested;
  private boolean abandoned;
  private boolean publishing;

  public RunningBuild(String buildId, Duration killGrace) {
    this.buildId = buildId;
    this.runner = new ProcessRunner(killGrace);
  }

  public String buildId() {
    return buildId;
  }

  ProcessRunner runner() {
    return runner;
  }

  /**
   * Stops the build: no artifacts, no BuildSucceeded.
   *
   * @return false when it is too late, the build is publishing
   */
  public boolean cancel(String why) {
    synchronized (this) {
      if (publishing || cancelRequested) {
        return !publishing;
      }
      cancelRequested = true;
      reason = why;
    }
    runner.kill();
    return true;
  }

  /** Stops the build without a terminal event, so that the request goes to another worker. */
  public void abandon() {
    synchronized (this) {
      if (publishing) {
        return; // let it finish: publication is short and its result is wanted
      }
      abandoned = true;
      cancelRequested = true;
      reason = "the worker is shutting down";
    }
    runner.kill();
  }

  synchronized void enterPublish() throws Cancelled {
    if (cancelRequested) {
      throw new Cancelled(reason);
    }
    publishing = true;
  }

  public synchronized boolean cancelRequested() {
    return cancelRequested;
  }

  public synchronized boolean abandoned() {
    return abandoned;
  }

  synchronized String reason() {
    return reason == null ? "cancelled" : reason;
  }
}

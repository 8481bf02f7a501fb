package dev.gantry.buildworker.build;

/** A stage of the build failed; becomes BuildFailed with the stage, exit code and message. */
public class StageFailure extends Exception {
  private final String stage;
  private final Integer exitCode;

  public StageFailure(String stage, Integer exitCode, String message) {
    super(message);
    this.stage = stage;
    this.exitCode = exitCode;
  }

  public String stage() {
    return stage;
  }

  public Integer exitCode() {
    return exitCode;
  }
}

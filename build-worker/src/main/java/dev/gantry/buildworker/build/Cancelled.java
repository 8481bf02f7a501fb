package dev.gantry.buildworker.build;

/** The build was stopped on request (cancel, supersede) or because the worker shuts down. */
public class Cancelled extends Exception {
  public Cancelled(String reason) {
    super(reason);
  }
}

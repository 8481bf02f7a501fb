package dev.gantry.rollout.domain;

/** What must happen before a step's weight may grow to the next step's. */
public sealed interface Gate permits Gate.Pause, Gate.Analysis, Gate.Manual {

  static Gate pause(long seconds) {
    return new Pause(seconds);
  }

  static Gate analysis() {
    return new Analysis();
  }

  static Gate manual() {
    return new Manual();
  }

  /** Wait this long at the step's weight, then move on; no verdict is needed. */
  record Pause(long seconds) implements Gate {}

  /** Wait for a PASS from monitor-service, at most until the step's deadline. */
  record Analysis() implements Gate {}

  /** Wait for an operator's promote, however long it takes. */
  record Manual() implements Gate {}
}

package dev.gantry.rollout.domain;

/**
 * One step of a rollout: the canary takes {@code weight} percent of the traffic until {@code gate}
 * passes.
 */
public record Step(int weight, Gate gate) {

  public static Step analysis(int weight) {
    return new Step(weight, Gate.analysis());
  }

  public static Step pause(int weight, long seconds) {
    return new Step(weight, Gate.pause(seconds));
  }

  public static Step manual(int weight) {
    return new Step(weight, Gate.manual());
  }
}

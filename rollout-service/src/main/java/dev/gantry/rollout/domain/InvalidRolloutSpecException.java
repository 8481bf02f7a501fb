package dev.gantry.rollout.domain;

import java.util.List;

/** A rollout policy that could not be followed; carries every problem, not only the first. */
public class InvalidRolloutSpecException extends IllegalArgumentException {

  private final List<String> problems;

  public InvalidRolloutSpecException(List<String> problems) {
    super("invalid rollout spec: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

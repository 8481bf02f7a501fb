package dev.gantry.rollout.persistence;

import java.util.UUID;

public class RolloutNotFoundException extends RuntimeException {

  public RolloutNotFoundException(UUID id) {
    super("no rollout " + id);
  }
}

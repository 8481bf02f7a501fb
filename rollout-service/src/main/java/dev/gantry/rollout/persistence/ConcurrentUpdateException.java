package dev.gantry.rollout.persistence;

import java.util.UUID;

/** Every attempt to write a rollout lost to a concurrent writer. */
public class ConcurrentUpdateException extends RuntimeException {

  public ConcurrentUpdateException(UUID id, int attempts) {
    super("rollout " + id + " changed concurrently " + attempts + " times in a row");
  }
}

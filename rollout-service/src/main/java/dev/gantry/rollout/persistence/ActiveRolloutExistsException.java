package dev.gantry.rollout.persistence;

/** The app already has a rollout that has not ended; the database allows one at a time. */
public class ActiveRolloutExistsException extends RuntimeException {

  public ActiveRolloutExistsException(String app, Throwable cause) {
    super("app " + app + " already has a rollout that has not ended", cause);
  }
}

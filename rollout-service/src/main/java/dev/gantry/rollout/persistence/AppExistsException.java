package dev.gantry.rollout.persistence;

/** An app of that name exists, or another app is fed by the same repository and branch. */
public class AppExistsException extends RuntimeException {
  public AppExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}

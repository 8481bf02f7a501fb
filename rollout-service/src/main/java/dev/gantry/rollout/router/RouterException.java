package dev.gantry.rollout.router;

/** A version could not be started, or did not become ready in time. */
public class RouterException extends RuntimeException {
  public RouterException(String message) {
    super(message);
  }

  public RouterException(String message, Throwable cause) {
    super(message, cause);
  }
}

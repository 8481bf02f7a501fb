package dev.gantry.rollout.router;

/**
 * A version could not be started, did not become ready in time, or the router could not move the
 * traffic. A <em>transient</em> failure (nginx could not reload, the Kubernetes API was away) may
 * pass if the same route is applied again a moment later; any other is definitive: the canary
 * itself cannot serve, and trying again only keeps it in the route longer.
 */
public class RouterException extends RuntimeException {
  private final boolean transientFailure;

  public RouterException(String message) {
    this(message, null, false);
  }

  public RouterException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private RouterException(String message, Throwable cause, boolean transientFailure) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  /** A failure of the router's own machinery, not of the version: worth trying again. */
  public static RouterException transientFailure(String message, Throwable cause) {
    return new RouterException(message, cause, true);
  }

  public boolean isTransient() {
    return transientFailure;
  }
}

package dev.gantry.rollout.router;

/**
 * A version could not be started, did not become ready in time, or the router could not move the
 * traffic. A <em>transient</em> failure (nginx could not reload, the Kubernetes API was away) may
 * pass if the same route is applied again a moment later; any other is definitive: the canary
 * itself cannot serve, and trying again only keeps it in the route longer.
 */
public class RouterException extends RuntimeException {
  private enum Kind {
    DEFINITIVE,
    TRANSIENT,
    CANCELLED
  }

  private final Kind kind;

  public RouterException(String message) {
    this(message, null, Kind.DEFINITIVE);
  }

  public RouterException(String message, Throwable cause) {
    this(message, cause, Kind.DEFINITIVE);
  }

  private RouterException(String message, Throwable cause, Kind kind) {
    super(message, cause);
    this.kind = kind;
  }

  /** A failure of the router's own machinery, not of the version: worth trying again. */
  public static RouterException transientFailure(String message, Throwable cause) {
    return new RouterException(message, cause, Kind.TRANSIENT);
  }

  /**
   * Not a failure: the router gave way to a newer stored state of the app ({@link Cancellation})
   * while it waited for a version; the route was left as it was.
   */
  public static RouterException cancelled(String message) {
    return new RouterException(message, null, Kind.CANCELLED);
  }

  public boolean isTransient() {
    return kind == Kind.TRANSIENT;
  }

  public boolean isCancelled() {
    return kind == Kind.CANCELLED;
  }
}

package dev.gantry.rollout.api;

/** An error the client caused, mapped to its status by {@link ProblemMapper}. */
public abstract class ApiException extends RuntimeException {

  ApiException(String message) {
    super(message);
  }

  public static final class BadRequest extends ApiException {
    public BadRequest(String message) {
      super(message);
    }
  }

  public static final class NotFound extends ApiException {
    public NotFound(String message) {
      super(message);
    }
  }

  /**
   * The request is not allowed in the rollout's current state.
   *
   * @see dev.gantry.rollout.domain.Reasons
   */
  public static final class Conflict extends ApiException {
    private final String reason;

    public Conflict(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }
}

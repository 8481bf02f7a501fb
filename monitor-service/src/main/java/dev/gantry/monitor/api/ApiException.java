package dev.gantry.monitor.api;

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
}

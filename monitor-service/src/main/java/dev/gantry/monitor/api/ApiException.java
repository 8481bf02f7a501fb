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

    /** The id as a UUID; anything else names nothing that exists. */
    public static java.util.UUID uuid(String id, String what) {
      try {
        return java.util.UUID.fromString(id);
      } catch (IllegalArgumentException e) {
        throw new NotFound("no " + what + " " + id);
      }
    }
  }
}

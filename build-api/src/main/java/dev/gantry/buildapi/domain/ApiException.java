package dev.gantry.buildapi.domain;

/**
 * A failure the client caused or can act on. Each subclass is one row of the table in {@code
 * ProblemMapper}: the class decides the HTTP status, the message becomes the problem's detail.
 */
public abstract class ApiException extends RuntimeException {
  protected ApiException(String detail) {
    super(detail);
  }

  public static final class BadRequest extends ApiException {
    public BadRequest(String detail) {
      super(detail);
    }
  }

  public static final class Unauthorized extends ApiException {
    public Unauthorized(String detail) {
      super(detail);
    }
  }

  public static final class Forbidden extends ApiException {
    public Forbidden(String detail) {
      super(detail);
    }
  }

  public static final class NotFound extends ApiException {
    public NotFound(String detail) {
      super(detail);
    }
  }

  public static final class Conflict extends ApiException {
    public Conflict(String detail) {
      super(detail);
    }
  }

  public static final class PayloadTooLarge extends ApiException {
    public PayloadTooLarge(String detail) {
      super(detail);
    }
  }

  /** A forge or git remote we depend on did not answer as expected. */
  public static final class BadGateway extends ApiException {
    public BadGateway(String detail) {
      super(detail);
    }
  }
}

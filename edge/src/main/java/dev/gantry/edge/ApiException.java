package dev.gantry.edge;

import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;

/**
 * A failure the client caused or can act on. The subclass decides the HTTP status, the message
 * becomes the problem's {@code detail}, so it must name nothing a client may not see.
 */
public abstract class ApiException extends RuntimeException {
  private final Status status;

  protected ApiException(Status status, String detail) {
    super(detail);
    this.status = status;
  }

  public Status status() {
    return status;
  }

  /** For a 409: a constant the client can switch on (rollout-service's {@code Reasons}). */
  public String reason() {
    return null;
  }

  public static final class BadRequest extends ApiException {
    public BadRequest(String detail) {
      super(Status.BAD_REQUEST, detail);
    }
  }

  public static final class Unauthorized extends ApiException {
    public Unauthorized(String detail) {
      super(Status.UNAUTHORIZED, detail);
    }
  }

  public static final class Forbidden extends ApiException {
    public Forbidden(String detail) {
      super(Status.FORBIDDEN, detail);
    }
  }

  public static final class NotFound extends ApiException {
    public NotFound(String detail) {
      super(Status.NOT_FOUND, detail);
    }

    /** The id as a UUID; anything else names nothing that exists. */
    public static UUID uuid(String id, String what) {
      try {
        return UUID.fromString(id);
      } catch (IllegalArgumentException e) {
        throw new NotFound("no " + what + " " + id);
      }
    }
  }

  /** The request is not allowed in the resource's current state. */
  public static final class Conflict extends ApiException {
    private final String reason;

    public Conflict(String detail) {
      this(null, detail);
    }

    public Conflict(String reason, String detail) {
      super(Status.CONFLICT, detail);
      this.reason = reason;
    }

    @Override
    public String reason() {
      return reason;
    }
  }

  public static final class PayloadTooLarge extends ApiException {
    public PayloadTooLarge(String detail) {
      super(Status.REQUEST_ENTITY_TOO_LARGE, detail);
    }
  }

  /** A forge, git remote or other upstream we depend on did not answer as expected. */
  public static final class BadGateway extends ApiException {
    public BadGateway(String detail) {
      super(Status.BAD_GATEWAY, detail);
    }
  }
}

package dev.gantry.edge;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Error answers as {@code application/problem+json}. Clients never see class names or stack traces;
 * an unexpected error gets an id that is also in the log, next to the details.
 */
public final class Problems {
  public static final String PROBLEM_JSON = "application/problem+json";
  static final String UNEXPECTED =
      "unexpected error; the server log has the details under this errorId";
  private static final Logger LOG = Logger.getLogger(Problems.class);

  private Problems() {}

  public static Response problem(Status status, String detail) {
    return problem(status, detail, null, null);
  }

  /** A 409 (or other answer) that carries a reason constant the client can switch on. */
  public static Response problem(Status status, String detail, String reason) {
    return problem(status, detail, reason, null);
  }

  /** The answer to an {@link ApiException}: its status, its message as the detail. */
  public static Response of(ApiException e) {
    return problem(e.status(), e.getMessage(), e.reason(), null);
  }

  /**
   * A 500 whose body holds only a fresh error id; the exception goes to the log under that id, for
   * whoever reads the log, never to the client.
   */
  public static Response unexpected(Throwable e) {
    String errorId = UUID.randomUUID().toString();
    LOG.errorf(e, "unexpected error %s", errorId);
    return problem(Status.INTERNAL_SERVER_ERROR, UNEXPECTED, null, errorId);
  }

  private static Response problem(Status status, String detail, String reason, String errorId) {
    Response.ResponseBuilder r =
        Response.status(status)
            .type(PROBLEM_JSON)
            .entity(
                new Problem(
                    "about:blank",
                    status.getReasonPhrase(),
                    status.getStatusCode(),
                    detail,
                    reason,
                    errorId));
    if (status == Status.UNAUTHORIZED) {
      r.header("WWW-Authenticate", "Bearer realm=\"gantry\"");
    }
    return r.build();
  }
}

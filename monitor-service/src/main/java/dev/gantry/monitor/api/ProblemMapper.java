package dev.gantry.monitor.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors as RFC 9457 {@code application/problem+json}. Clients never see class names or stack
 * traces; an unexpected error gets an id that is also in the log.
 */
public class ProblemMapper {
  public static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Problem(String type, String title, int status, String detail, String errorId) {}

  public static Response problem(Status status, String detail) {
    return problem(status, detail, null);
  }

  private static Response problem(Status status, String detail, String errorId) {
    Response.ResponseBuilder r =
        Response.status(status)
            .type(PROBLEM_JSON)
            .entity(
                new Problem(
                    "about:blank",
                    status.getReasonPhrase(),
                    status.getStatusCode(),
                    detail,
                    errorId));
    if (status == Status.UNAUTHORIZED) {
      r.header("WWW-Authenticate", "Bearer realm=\"gantry\"");
    }
    return r.build();
  }

  @ServerExceptionMapper
  public Response map(ApiException e) {
    Status status = e instanceof ApiException.NotFound ? Status.NOT_FOUND : Status.BAD_REQUEST;
    return problem(status, e.getMessage());
  }

  @ServerExceptionMapper
  public Response map(WebApplicationException e) {
    Status status = Status.fromStatusCode(e.getResponse().getStatus());
    if (status == null || status.getFamily() == Status.Family.SERVER_ERROR) {
      return unexpected(e);
    }
    return problem(status, status.getReasonPhrase());
  }

  @ServerExceptionMapper
  public Response map(Exception e) {
    return unexpected(e);
  }

  private static Response unexpected(Throwable e) {
    String errorId = UUID.randomUUID().toString();
    LOG.errorf(e, "unexpected error %s", errorId);
    return problem(
        Status.INTERNAL_SERVER_ERROR,
        "unexpected error; the server log has the details under this errorId",
        errorId);
  }
}

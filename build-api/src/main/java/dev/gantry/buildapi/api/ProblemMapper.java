package dev.gantry.buildapi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.gantry.buildapi.domain.ApiException;
import dev.gantry.buildapi.persistence.DatabaseUnreachable;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one table from exceptions to HTTP statuses, answered as RFC 9457 {@code
 * application/problem+json}. Clients never see class names or stack traces; an unexpected error
 * gets an id that is also in the log.
 */
public class ProblemMapper {
  public static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  /** What a client is told to wait before it sends again a request the database was away for. */
  static final String RETRY_AFTER_SECONDS = "5";

  private static final Map<Class<? extends Throwable>, Status> TABLE = new LinkedHashMap<>();

  static {
    TABLE.put(ApiException.BadRequest.class, Status.BAD_REQUEST);
    TABLE.put(ApiException.Unauthorized.class, Status.UNAUTHORIZED);
    TABLE.put(ApiException.Forbidden.class, Status.FORBIDDEN);
    TABLE.put(ApiException.NotFound.class, Status.NOT_FOUND);
    TABLE.put(ApiException.Conflict.class, Status.CONFLICT);
    TABLE.put(ApiException.PayloadTooLarge.class, Status.REQUEST_ENTITY_TOO_LARGE);
    TABLE.put(ApiException.BadGateway.class, Status.BAD_GATEWAY);
    TABLE.put(OptimisticLockException.class, Status.CONFLICT);
    TABLE.put(JsonProcessingException.class, Status.BAD_REQUEST);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Problem(String type, String title, int status, String detail, String errorId) {}

  public static Status statusOf(Throwable e) {
    for (Map.Entry<Class<? extends Throwable>, Status> row : TABLE.entrySet()) {
      if (row.getKey().isInstance(e)) {
        return row.getValue();
      }
    }
    if (DatabaseUnreachable.causeOf(e)) {
      return Status.SERVICE_UNAVAILABLE;
    }
    if (e instanceof WebApplicationException wae) {
      Status s = Status.fromStatusCode(wae.getResponse().getStatus());
      return s == null ? Status.INTERNAL_SERVER_ERROR : s;
    }
    return Status.INTERNAL_SERVER_ERROR;
  }

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
    return problem(statusOf(e), e.getMessage());
  }

  @ServerExceptionMapper
  public Response map(MismatchedInputException e) {
    return problem(Status.BAD_REQUEST, "request body does not have the expected shape");
  }

  @ServerExceptionMapper
  public Response map(JsonProcessingException e) {
    return problem(Status.BAD_REQUEST, "request body is not valid JSON");
  }

  @ServerExceptionMapper
  public Response map(WebApplicationException e) {
    Status status = statusOf(e);
    if (status.getFamily() == Response.Status.Family.SERVER_ERROR) {
      return unexpected(e);
    }
    return problem(status, status.getReasonPhrase());
  }

  @ServerExceptionMapper
  public Response map(OptimisticLockException e) {
    return problem(Status.CONFLICT, "the resource changed concurrently; retry");
  }

  @ServerExceptionMapper
  public Response map(Exception e) {
    Status status = statusOf(e);
    if (status == Status.SERVICE_UNAVAILABLE) {
      LOG.warnf("the database is unreachable: %s", DatabaseUnreachable.describe(e));
      return Response.fromResponse(
              problem(
                  status,
                  "the database is unreachable; nothing was stored: send the request again"))
          .header("Retry-After", RETRY_AFTER_SECONDS)
          .build();
    }
    if (status != Status.INTERNAL_SERVER_ERROR) {
      return problem(status, status.getReasonPhrase());
    }
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

package dev.gantry.rollout.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.gantry.rollout.domain.InvalidRolloutSpecException;
import dev.gantry.rollout.engine.RolloutEngine;
import dev.gantry.rollout.persistence.AppExistsException;
import dev.gantry.rollout.persistence.AppNotFoundException;
import dev.gantry.rollout.persistence.ConcurrentUpdateException;
import dev.gantry.rollout.persistence.ListenPortTakenException;
import dev.gantry.rollout.persistence.RolloutNotFoundException;
import dev.gantry.rollout.router.RouterException;
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

  /**
   * @param reason for a 409, the {@link dev.gantry.rollout.domain.Reasons} constant
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Problem(
      String type, String title, int status, String detail, String reason, String errorId) {}

  public static Response problem(Status status, String detail) {
    return problem(status, detail, null, null);
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

  @ServerExceptionMapper
  public Response map(ApiException e) {
    if (e instanceof ApiException.Conflict conflict) {
      return problem(Status.CONFLICT, e.getMessage(), conflict.reason(), null);
    }
    Status status = e instanceof ApiException.NotFound ? Status.NOT_FOUND : Status.BAD_REQUEST;
    return problem(status, e.getMessage());
  }

  @ServerExceptionMapper
  public Response map(RolloutNotFoundException e) {
    return problem(Status.NOT_FOUND, e.getMessage());
  }

  @ServerExceptionMapper
  public Response map(InvalidRolloutSpecException e) {
    return problem(Status.BAD_REQUEST, String.join("; ", e.problems()));
  }

  /** A body that is not JSON, or JSON of the wrong shape: say where, never which class. */
  @ServerExceptionMapper
  public Response map(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return problem(Status.BAD_REQUEST, "unknown field '" + unknown.getPropertyName() + "'");
    }
    String where =
        e.getLocation() == null
            ? ""
            : " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    String what =
        e instanceof MismatchedInputException
            ? "has a field of the wrong type"
            : "is not valid JSON";
    return problem(Status.BAD_REQUEST, "the body " + what + where);
  }

  // Quarkus has built-in mappers for these two; more specific ones of ours win over them
  @ServerExceptionMapper
  public Response map(JsonParseException e) {
    return map((JsonProcessingException) e);
  }

  @ServerExceptionMapper
  public Response map(MismatchedInputException e) {
    return map((JsonProcessingException) e);
  }

  @ServerExceptionMapper
  public Response map(AppExistsException e) {
    return problem(Status.CONFLICT, e.getMessage(), "AppExists", null);
  }

  @ServerExceptionMapper
  public Response map(ListenPortTakenException e) {
    return problem(
        Status.CONFLICT,
        e.getMessage()
            + "; pick another port, or move "
            + e.holder()
            + " to another one (PUT /apps/"
            + e.holder()
            + ")",
        "ListenPortTaken",
        null);
  }

  @ServerExceptionMapper
  public Response map(AppNotFoundException e) {
    return problem(Status.NOT_FOUND, e.getMessage());
  }

  @ServerExceptionMapper
  public Response map(RolloutEngine.NothingToRollBackException e) {
    return problem(Status.CONFLICT, e.getMessage(), "NothingToRollBack", null);
  }

  /** The router could not do what the stored state asks; the timer keeps trying. */
  @ServerExceptionMapper
  public Response map(RouterException e) {
    LOG.warnf("router: %s", e.getMessage());
    return problem(Status.SERVICE_UNAVAILABLE, e.getMessage());
  }

  @ServerExceptionMapper
  public Response map(ConcurrentUpdateException e) {
    return problem(Status.CONFLICT, "the rollout changed concurrently; retry");
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
        null,
        errorId);
  }
}

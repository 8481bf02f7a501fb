package dev.gantry.rollout.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.gantry.edge.Problems;
import dev.gantry.rollout.domain.InvalidRolloutSpecException;
import dev.gantry.rollout.engine.RolloutEngine;
import dev.gantry.rollout.persistence.AppExistsException;
import dev.gantry.rollout.persistence.AppNotFoundException;
import dev.gantry.rollout.persistence.ConcurrentUpdateException;
import dev.gantry.rollout.persistence.ListenPortTakenException;
import dev.gantry.rollout.persistence.RolloutNotFoundException;
import dev.gantry.rollout.router.RouterException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * rollout-service's own exceptions and their statuses, answered as {@code application/problem+json}
 * by the edge ({@link Problems}); {@link dev.gantry.edge.ApiException} and everything unexpected
 * are mapped by the edge's {@link dev.gantry.edge.CatchAllMapper}. A 409 carries a {@code reason}
 * the client can switch on: a {@link dev.gantry.rollout.domain.Reasons} constant, or one named
 * here.
 */
public class ProblemMapper {
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @ServerExceptionMapper
  public Response map(RolloutNotFoundException e) {
    return Problems.problem(Status.NOT_FOUND, e.getMessage());
  }

  @ServerExceptionMapper
  public Response map(InvalidRolloutSpecException e) {
    return Problems.problem(Status.BAD_REQUEST, String.join("; ", e.problems()));
  }

  /** A body that is not JSON, or JSON of the wrong shape: say where, never which class. */
  @ServerExceptionMapper
  public Response map(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return Problems.problem(
          Status.BAD_REQUEST, "unknown field '" + unknown.getPropertyName() + "'");
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
    return Problems.problem(Status.BAD_REQUEST, "the body " + what + where);
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
    return Problems.problem(Status.CONFLICT, e.getMessage(), "AppExists");
  }

  @ServerExceptionMapper
  public Response map(ListenPortTakenException e) {
    return Problems.problem(
        Status.CONFLICT,
        e.getMessage()
            + "; pick another port, or move "
            + e.holder()
            + " to another one (PUT /apps/"
            + e.holder()
            + ")",
        "ListenPortTaken");
  }

  @ServerExceptionMapper
  public Response map(AppNotFoundException e) {
    return Problems.problem(Status.NOT_FOUND, e.getMessage());
  }

  @ServerExceptionMapper
  public Response map(RolloutEngine.NothingToRollBackException e) {
    return Problems.problem(Status.CONFLICT, e.getMessage(), "NothingToRollBack");
  }

  /** The router could not do what the stored state asks; the timer keeps trying. */
  @ServerExceptionMapper
  public Response map(RouterException e) {
    LOG.warnf("router: %s", e.getMessage());
    return Problems.problem(Status.SERVICE_UNAVAILABLE, e.getMessage());
  }

  @ServerExceptionMapper
  public Response map(ConcurrentUpdateException e) {
    return Problems.problem(Status.CONFLICT, "the rollout changed concurrently; retry");
  }
}

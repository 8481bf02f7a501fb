package dev.gantry.buildapi.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.gantry.buildapi.persistence.DatabaseUnreachable;
import dev.gantry.edge.ApiException;
import dev.gantry.edge.ProblemTable;
import dev.gantry.edge.Problems;
import jakarta.inject.Singleton;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * build-api's own table from exceptions to HTTP statuses, on top of the edge's problem+json mapping
 * ({@link dev.gantry.edge.CatchAllMapper}): JSON that cannot be read, concurrent updates, and a
 * database that cannot be reached.
 */
@Singleton
public class ProblemMapper implements ProblemTable {
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  /** What a client is told to wait before it sends again a request the database was away for. */
  static final String RETRY_AFTER_SECONDS = "5";

  private static final Map<Class<? extends Throwable>, Status> TABLE = new LinkedHashMap<>();

  static {
    TABLE.put(OptimisticLockException.class, Status.CONFLICT);
    TABLE.put(JsonProcessingException.class, Status.BAD_REQUEST);
  }

  /** The status a request that failed with {@code e} is answered with. */
  public static Status statusOf(Throwable e) {
    if (e instanceof ApiException api) {
      return api.status();
    }
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

  @ServerExceptionMapper
  public Response map(MismatchedInputException e) {
    return Problems.problem(Status.BAD_REQUEST, "request body does not have the expected shape");
  }

  @ServerExceptionMapper
  public Response map(JsonProcessingException e) {
    return Problems.problem(Status.BAD_REQUEST, "request body is not valid JSON");
  }

  @ServerExceptionMapper
  public Response map(OptimisticLockException e) {
    return Problems.problem(Status.CONFLICT, "the resource changed concurrently; retry");
  }

  /** What the edge's catch-all asks before it calls an error unexpected. */
  @Override
  public Optional<Response> answer(Exception e) {
    Status status = statusOf(e);
    if (status == Status.SERVICE_UNAVAILABLE) {
      LOG.warnf("the database is unreachable: %s", DatabaseUnreachable.describe(e));
      return Optional.of(
          Response.fromResponse(
                  Problems.problem(
                      status,
                      "the database is unreachable; nothing was stored: send the request again"))
              .header("Retry-After", RETRY_AFTER_SECONDS)
              .build());
    }
    if (status != Status.INTERNAL_SERVER_ERROR) {
      return Optional.of(Problems.problem(status, status.getReasonPhrase()));
    }
    return Optional.empty();
  }
}

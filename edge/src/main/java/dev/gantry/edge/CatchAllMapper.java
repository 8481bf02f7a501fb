package dev.gantry.edge;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The mappings every service shares: {@link ApiException} by its status, the framework's own 4xx by
 * their reason phrase, and everything else through the service's {@link ProblemTable} or else as an
 * unexpected 500. A service's mappers for more specific exception types win over these.
 */
public class CatchAllMapper {

  private final Iterable<ProblemTable> tables;

  @Inject
  public CatchAllMapper(Instance<ProblemTable> tables) {
    this.tables = tables;
  }

  CatchAllMapper(List<ProblemTable> tables) {
    this.tables = tables;
  }

  @ServerExceptionMapper
  public Response map(ApiException e) {
    return Problems.of(e);
  }

  @ServerExceptionMapper
  public Response map(WebApplicationException e) {
    Status status = Status.fromStatusCode(e.getResponse().getStatus());
    if (status == null || status.getFamily() == Status.Family.SERVER_ERROR) {
      return Problems.unexpected(e);
    }
    return Problems.problem(status, status.getReasonPhrase());
  }

  @ServerExceptionMapper
  public Response map(Exception e) {
    for (ProblemTable table : tables) {
      Optional<Response> answer = table.answer(e);
      if (answer.isPresent()) {
        return answer.get();
      }
    }
    return Problems.unexpected(e);
  }
}

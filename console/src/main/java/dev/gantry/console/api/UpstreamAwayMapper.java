package dev.gantry.console.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gantry.console.upstream.UpstreamAway;
import dev.gantry.edge.Problems;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A service behind the console that is away: 502, naming it, so the page can say which one. */
public class UpstreamAwayMapper {
  private static final Logger LOG = Logger.getLogger(UpstreamAwayMapper.class);

  /** RFC 9457 with one extension member, the service that did not answer. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AwayProblem(String type, String title, int status, String detail, String service) {}

  @ServerExceptionMapper
  public Response map(UpstreamAway e) {
    LOG.warnf("%s", e.getMessage());
    return Response.status(Response.Status.BAD_GATEWAY)
        .type(Problems.PROBLEM_JSON)
        .entity(
            new AwayProblem("about:blank", "Bad Gateway", 502, e.getMessage(), e.service().label()))
        .build();
  }
}

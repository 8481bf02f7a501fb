package dev.gantry.console.api;

import dev.gantry.console.session.CurrentSession;
import dev.gantry.console.upstream.Answer;
import dev.gantry.console.upstream.Service;
import dev.gantry.console.upstream.Upstreams;
import dev.gantry.edge.ApiException;
import dev.gantry.edge.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * An operator's actions, passed to rollout-service with the operator token; the answer is the
 * rollout (or app) in the state the action led to. The {@link SessionFilter} has checked the CSRF
 * token and origin; a viewer's session is refused here even with both.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ActionResource {
  private static final Logger LOG = Logger.getLogger(ActionResource.class);
  static final String OPERATOR_ONLY = "only an operator session can act";

  @Inject Upstreams upstreams;
  @Inject CurrentSession current;

  @POST
  @Path("rollouts/{id}/promote")
  public Response promote(@PathParam("id") String id) {
    return rollout(id, "promote");
  }

  @POST
  @Path("rollouts/{id}/pause")
  public Response pause(@PathParam("id") String id) {
    return rollout(id, "pause");
  }

  @POST
  @Path("rollouts/{id}/resume")
  public Response resume(@PathParam("id") String id) {
    return rollout(id, "resume");
  }

  @POST
  @Path("rollouts/{id}/abort")
  public Response abort(@PathParam("id") String id) {
    return rollout(id, "abort");
  }

  @POST
  @Path("apps/{name}/rollback")
  public Response rollback(@PathParam("name") String name) {
    operator();
    String app = Ids.segment(name, "app");
    LOG.infof("operator asks rollback of app %s", app);
    return answer(
        upstreams.post(Service.ROLLOUT, "/apps/" + app + "/rollback", Role.OPERATOR), "app " + app);
  }

  private Response rollout(String id, String action) {
    operator();
    String rollout = Ids.segment(id, "rollout");
    LOG.infof("operator asks %s of rollout %s", action, rollout);
    return answer(
        upstreams.post(Service.ROLLOUT, "/rollouts/" + rollout + "/" + action, Role.OPERATOR),
        "rollout " + rollout);
  }

  private void operator() {
    if (current.require().role() != Role.OPERATOR) {
      throw new ApiException.Forbidden(OPERATOR_ONLY);
    }
  }

  private static Response answer(Answer a, String what) {
    if (a.status() == 404) {
      throw new ApiException.NotFound("no " + what);
    }
    if (!a.ok()) {
      return ReadResource.passThrough(a);
    }
    return Response.status(a.status()).type(MediaType.APPLICATION_JSON).entity(a.body()).build();
  }
}

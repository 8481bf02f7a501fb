package dev.gantry.rollout.api;

import dev.gantry.edge.ApiException;
import dev.gantry.rollout.domain.AppSpec;
import dev.gantry.rollout.engine.RolloutEngine;
import dev.gantry.rollout.engine.Routers;
import dev.gantry.rollout.persistence.AppNotFoundException;
import dev.gantry.rollout.persistence.AppRecord;
import dev.gantry.rollout.persistence.AppStore;
import dev.gantry.rollout.persistence.RolloutStore;
import dev.gantry.rollout.router.local.ProcessBackends;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;

/**
 * Apps: which repository and branch feed each one, its router and rollout policy; what serves it;
 * and the operator's rollback to the release before.
 */
@Path("/apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppResource {
  private final AppStore apps;
  private final RolloutStore rollouts;
  private final RolloutEngine engine;
  private final Routers routers;
  private final OwnPorts ownPorts;

  @Inject
  public AppResource(
      AppStore apps,
      RolloutStore rollouts,
      RolloutEngine engine,
      Routers routers,
      OwnPorts ownPorts) {
    this.apps = apps;
    this.rollouts = rollouts;
    this.engine = engine;
    this.routers = routers;
    this.ownPorts = ownPorts;
  }

  /** 409 when another app takes its traffic on the same {@code listenPort}. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response register(AppRequest request, @Context UriInfo uri) {
    AppSpec spec = offered(body(request).toSpec(null));
    AppRecord app = apps.register(spec, Instant.now());
    return Response.created(uri.getAbsolutePathBuilder().path(spec.name()).build())
        .entity(view(app))
        .build();
  }

  /** Replaces the app's policy; a running rollout keeps the steps it started with. */
  @PUT
  @Path("/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public AppView update(@PathParam("name") String name, AppRequest request) {
    AppSpec spec = offered(body(request).toSpec(name));
    return view(apps.update(spec, Instant.now()));
  }

  @GET
  public List<AppView> list() {
    return apps.list().stream().map(this::view).toList();
  }

  @GET
  @Path("/{name}")
  public AppView get(@PathParam("name") String name) {
    return view(apps.find(name).orElseThrow(() -> new AppNotFoundException(name)));
  }

  /**
   * Back to the release before the one serving now, at once: a running rollout is rolled back;
   * without one, the previous release serves again.
   */
  @POST
  @Path("/{name}/rollback")
  public AppView rollback(@PathParam("name") String name) {
    apps.find(name).orElseThrow(() -> new AppNotFoundException(name));
    return view(engine.rollbackApp(name));
  }

  private AppView view(AppRecord app) {
    return AppView.of(
        app,
        rollouts.active(app.name()).orElse(null),
        engine.routeState(app.name()).orElse(null),
        routers.processes().restarts(app.name()).values().stream()
            .sorted(java.util.Comparator.comparing(ProcessBackends.Restart::version))
            .toList());
  }

  private AppSpec offered(AppSpec spec) {
    ownPorts
        .use(spec.listenPort())
        .ifPresent(
            use -> {
              throw new ApiException.BadRequest(
                  "listenPort "
                      + spec.listenPort()
                      + " is rollout-service's own: "
                      + use
                      + "; the app's traffic needs a port of its own");
            });
    if (!routers.kinds().contains(spec.router())) {
      throw new ApiException.BadRequest(
          "router "
              + spec.router()
              + " is not offered by this rollout-service (it offers "
              + new java.util.TreeSet<>(routers.kinds())
              + "); see gantry.router.* in its configuration");
    }
    return spec;
  }

  private static AppRequest body(AppRequest request) {
    if (request == null) {
      throw new ApiException.BadRequest("a JSON body describing the app is required");
    }
    return request;
  }
}

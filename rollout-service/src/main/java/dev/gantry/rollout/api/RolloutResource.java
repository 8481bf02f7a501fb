package dev.gantry.rollout.api;

import dev.gantry.edge.ApiException;
import dev.gantry.rollout.domain.Action;
import dev.gantry.rollout.domain.Phase;
import dev.gantry.rollout.domain.Request;
import dev.gantry.rollout.domain.RequestResult;
import dev.gantry.rollout.engine.RolloutEngine;
import dev.gantry.rollout.persistence.RolloutNotFoundException;
import dev.gantry.rollout.persistence.RolloutStore;
import dev.gantry.rollout.persistence.StoredRollout;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Rollouts: list, inspect, and the operator's promote, pause, resume and abort. A request is stored
 * first and reconciled at once, then waits a little for the router, so the answer shows the state
 * it led to; a request the rollout's state does not allow is 409 with the reason.
 */
@Path("/rollouts")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final RolloutStore store;
  private final RolloutEngine engine;

  @Inject
  public RolloutResource(RolloutStore store, RolloutEngine engine) {
    this.store = store;
    this.engine = engine;
  }

  /** Newest first. */
  @GET
  public List<RolloutView> list(
      @QueryParam("app") String app,
      @QueryParam("phase") String phase,
      @QueryParam("limit") @DefaultValue("" + DEFAULT_LIMIT) int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ApiException.BadRequest(
          "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    Optional<String> byApp = Optional.ofNullable(app).filter(a -> !a.isBlank());
    Optional<Phase> byPhase = Optional.ofNullable(phase).filter(p -> !p.isBlank()).map(this::phase);
    return store.list(byApp, byPhase, limit).stream().map(RolloutView::summary).toList();
  }

  @GET
  @Path("/{id}")
  public RolloutView get(@PathParam("id") String id) {
    UUID uuid = id(id);
    StoredRollout rollout = store.load(uuid).orElseThrow(() -> notFound(id));
    return RolloutView.detail(rollout, store.transitions(uuid));
  }

  /** The next step, or with {@code full=true} straight to 100 % and promoted. */
  @POST
  @Path("/{id}/promote")
  public RolloutView promote(
      @PathParam("id") String id, @QueryParam("full") @DefaultValue("false") boolean full) {
    return apply(id, new Request.Promote(full));
  }

  @POST
  @Path("/{id}/pause")
  public RolloutView pause(@PathParam("id") String id) {
    return apply(id, new Request.Pause());
  }

  @POST
  @Path("/{id}/resume")
  public RolloutView resume(@PathParam("id") String id) {
    return apply(id, new Request.Resume());
  }

  @POST
  @Path("/{id}/abort")
  public RolloutView abort(@PathParam("id") String id) {
    return apply(id, new Request.Abort());
  }

  private RolloutView apply(String id, Request request) {
    UUID uuid = id(id);
    try {
      RolloutEngine.Outcome outcome = engine.operatorRequest(uuid, request);
      if (outcome.result() instanceof RequestResult.Rejected rejected) {
        throw new ApiException.Conflict(rejected.reason(), rejected.message());
      }
      // accepted, but the reconcile found it could not be honoured after all
      for (Action.RejectRequest rejected :
          outcome.reconciled().actions(Action.RejectRequest.class)) {
        if (rejected.request().equals(request)) {
          throw new ApiException.Conflict(rejected.reason(), rejected.message());
        }
      }
      StoredRollout now = store.load(uuid).orElseThrow(() -> notFound(id));
      return RolloutView.detail(now, store.transitions(uuid));
    } catch (RolloutNotFoundException e) {
      throw notFound(id);
    }
  }

  private Phase phase(String value) {
    try {
      return Phase.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiException.BadRequest("unknown phase " + value);
    }
  }

  /** A malformed id names no rollout: 404, like an unknown one. */
  private static UUID id(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
  }

  private static ApiException.NotFound notFound(String id) {
    return new ApiException.NotFound("no rollout " + id);
  }
}

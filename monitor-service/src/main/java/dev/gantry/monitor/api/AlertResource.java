package dev.gantry.monitor.api;

import dev.gantry.edge.ApiException;
import dev.gantry.monitor.alert.Alert;
import dev.gantry.monitor.alert.AlertStore;
import dev.gantry.monitor.alert.Alerter;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

@Path("/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {
  static final int MAX_LIST = 200;

  @Inject AlertStore store;
  @Inject Alerter alerter;

  /** An incident and every attempt to deliver it. */
  public record AlertView(Alert alert, List<AlertStore.Delivery> deliveries) {}

  @GET
  public List<AlertView> alerts(@QueryParam("app") String app) {
    return store.list(app == null || app.isBlank() ? null : app, MAX_LIST).stream()
        .map(a -> new AlertView(a, store.deliveries(a.id())))
        .toList();
  }

  /**
   * An operator has seen it; PagerDuty keeps its own acknowledgement. An automatic rollback's
   * incident has nothing left to wait for (the rollback is done): the acknowledgement resolves it.
   */
  @POST
  @Path("{id}/ack")
  public AlertView ack(@PathParam("id") String id) {
    UUID uuid = ApiException.NotFound.uuid(id, "alert");
    store.ack(uuid).orElseThrow(() -> new ApiException.NotFound("no alert " + id));
    alerter.acknowledged(id);
    Alert a = store.find(id).orElseThrow(() -> new ApiException.NotFound("no alert " + id));
    return new AlertView(a, store.deliveries(a.id()));
  }
}

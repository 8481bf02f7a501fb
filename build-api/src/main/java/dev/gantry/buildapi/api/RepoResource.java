package dev.gantry.buildapi.api;

import dev.gantry.buildapi.domain.RepoService;
import dev.gantry.buildapi.persistence.RepoRepository;
import dev.gantry.edge.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/** Repository registrations. Operator token only: these hold webhook secrets. */
@Path("/repos")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RepoResource {

  @Inject RepoService service;
  @Inject RepoRepository repos;

  @POST
  public Response register(RepoRequest request) {
    RepoView view = RepoView.of(service.register(request));
    return Response.created(URI.create("/repos/" + view.id())).entity(view).build();
  }

  @GET
  public List<RepoView> list() {
    return repos.listAllByKey().stream().map(RepoView::of).toList();
  }

  @GET
  @Path("/{id}")
  public RepoView get(@PathParam("id") String id) {
    return RepoView.of(service.get(id));
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@PathParam("id") String id) {
    service.delete(uuid(id));
    return Response.noContent().build();
  }

  static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new ApiException.NotFound("no resource with id " + id);
    }
  }
}

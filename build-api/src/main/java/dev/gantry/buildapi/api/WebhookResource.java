package dev.gantry.buildapi.api;

import dev.gantry.buildapi.domain.Provider;
import dev.gantry.buildapi.webhook.Dialect;
import dev.gantry.buildapi.webhook.WebhookResult;
import dev.gantry.buildapi.webhook.WebhookService;
import dev.gantry.edge.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/**
 * Forge webhooks. Authenticated by each repository's webhook secret, not by bearer tokens. GitHub,
 * GitLab and Gitea/Forgejo each have their own path so the dialect never has to be guessed.
 */
@Path("/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

  @Inject WebhookService service;
  @Inject MeterRegistry metrics;

  @POST
  @Path("/{provider}")
  @Consumes(MediaType.WILDCARD)
  public Response receive(
      @PathParam("provider") String provider, @Context HttpHeaders headers, byte[] body) {
    Provider forge = forge(provider);
    String outcome = "error";
    try {
      WebhookResult result = service.receive(new Dialect(forge, headers::getHeaderString), body);
      outcome = result.outcome().name().toLowerCase(Locale.ROOT);
      Response.Status status =
          switch (result.outcome()) {
            case PONG, DUPLICATE -> Response.Status.OK;
            case QUEUED, SKIPPED, IGNORED -> Response.Status.ACCEPTED;
          };
      return Response.status(status).entity(WebhookResponse.of(result)).build();
    } catch (ApiException e) {
      outcome = "rejected_" + ProblemMapper.statusOf(e).getStatusCode();
      throw e;
    } finally {
      metrics.counter("gantry.webhooks", "provider", forge.id(), "outcome", outcome).increment();
    }
  }

  private static Provider forge(String path) {
    return switch (path) {
      case "github" -> Provider.GITHUB;
      case "gitlab" -> Provider.GITLAB;
      case "gitea", "forgejo" -> Provider.GITEA;
      default -> throw new ApiException.NotFound("no webhook endpoint for '" + path + "'");
    };
  }
}

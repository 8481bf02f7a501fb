package dev.gantry.console.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The pages. Each is a static shell whose script reads the JSON API; the {@link SessionFilter} has
 * already sent a browser without a session to {@code /login}.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PageResource {
  /**
   * Scripts and styles only from the console itself (uPlot included); no frames, so no page of
   * another site can overlay a button.
   */
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
          + " data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action"
          + " 'self'";

  @GET
  public Response apps() {
    return page("apps");
  }

  @GET
  @Path("apps/{name}")
  public Response app(@PathParam("name") String name) {
    return page("app");
  }

  @GET
  @Path("rollouts/{id}")
  public Response rollout(@PathParam("id") String id) {
    return page("rollout");
  }

  @GET
  @Path("builds/{id}")
  public Response build(@PathParam("id") String id) {
    return page("build");
  }

  @GET
  @Path("alerts")
  public Response alerts() {
    return page("alerts");
  }

  @GET
  @Path("login")
  public Response login() {
    return page("login");
  }

  private static Response page(String name) {
    return Response.ok(Pages.html(name), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
        .header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "same-origin")
        .header("Cache-Control", "no-store")
        .build();
  }
}

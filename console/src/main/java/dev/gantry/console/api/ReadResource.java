package dev.gantry.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.console.session.CurrentSession;
import dev.gantry.console.upstream.Answer;
import dev.gantry.console.upstream.Gather;
import dev.gantry.console.upstream.Service;
import dev.gantry.console.upstream.Upstreams;
import dev.gantry.edge.ApiException;
import dev.gantry.edge.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the pages read. A page that draws on several services gets what answered and the names of
 * those that did not ({@code away}); a page of one service gets a 502 naming it.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ReadResource {
  static final int LAST_BUILDS = 3;
  static final int LAST_ANALYSES = 20;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * For the second upstream read of a page, made while the request's own thread makes the first.
   */
  private static final ExecutorService ALONGSIDE =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "console-upstream");
            t.setDaemon(true);
            return t;
          });

  @Inject Upstreams upstreams;
  @Inject CurrentSession current;

  /** Every app: its releases, its latest rollout with step and gate, last verdicts and builds. */
  @GET
  @Path("apps")
  public ObjectNode apps() {
    Gather g = gather();
    ArrayNode apps = JSON.arrayNode();
    for (JsonNode app : g.json(Service.ROLLOUT, "/apps").orElse(JSON.arrayNode())) {
      apps.add(appSummary(g, app, 1));
    }
    ObjectNode out = JSON.objectNode();
    out.set("apps", apps);
    return withAway(out, g);
  }

  /** One app, with its last rollouts. */
  @GET
  @Path("apps/{name}")
  public ObjectNode app(@PathParam("name") String name) {
    String app = Ids.segment(name, "app");
    Gather g = gather();
    Optional<Answer> a = g.answer(Service.ROLLOUT, "/apps/" + app);
    if (a.isPresent() && a.get().status() == 404) {
      throw new ApiException.NotFound("no app " + app);
    }
    ObjectNode out = JSON.objectNode();
    out.set("apps", JSON.arrayNode());
    a.filter(Answer::ok)
        .map(Answer::json)
        .ifPresent(json -> ((ArrayNode) out.get("apps")).add(appSummary(g, json, 10)));
    return withAway(out, g);
  }

  /** A rollout as rollout-service has it (with history) and its analysis from monitor-service. */
  @GET
  @Path("rollouts/{id}")
  public ObjectNode rollout(@PathParam("id") String id) {
    String rollout = Ids.segment(id, "rollout");
    Gather g = gather();
    // both at once: the page's first render waits for the slower one only
    CompletableFuture<Optional<Answer>> analysis =
        CompletableFuture.supplyAsync(
            () -> g.answer(Service.MONITOR, "/analyses/" + rollout), ALONGSIDE);
    Optional<Answer> r = g.answer(Service.ROLLOUT, "/rollouts/" + rollout);
    Optional<Answer> m = analysis.join();
    boolean rolloutKnown = r.map(Answer::ok).orElse(false);
    boolean analysisKnown = m.map(Answer::ok).orElse(false);
    boolean rolloutUnknown = r.map(a -> a.status() == 404).orElse(false);
    if (rolloutUnknown && !analysisKnown) {
      throw new ApiException.NotFound("no rollout " + rollout);
    }
    ObjectNode out = JSON.objectNode();
    out.set("rollout", rolloutKnown ? r.get().json() : JSON.nullNode());
    out.set("analysis", analysisKnown ? m.get().json() : JSON.nullNode());
    return withAway(out, g);
  }

  /** A build and its deployment trail, as build-api has it. */
  @GET
  @Path("builds/{id}")
  public Response build(@PathParam("id") String id) {
    String build = Ids.segment(id, "build");
    return json(upstreams.get(Service.BUILD_API, "/builds/" + build, role()), "build " + build);
  }

  /** Incidents and every delivery attempt, as monitor-service has them. */
  @GET
  @Path("alerts")
  public Response alerts() {
    return json(upstreams.get(Service.MONITOR, "/alerts", role()), "alerts");
  }

  /** A raw profile as monitor-service scraped it, for {@code go tool pprof}. */
  @GET
  @Path("profiles/{id}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response profile(@PathParam("id") String id) {
    String profile = Ids.segment(id, "profile");
    Answer a = upstreams.get(Service.MONITOR, "/profiles/" + profile, role());
    if (a.status() == 404 || a.status() == 400) {
      throw new ApiException.NotFound("no profile " + profile);
    }
    if (!a.ok()) {
      return passThrough(a);
    }
    return Response.ok(a.body(), MediaType.APPLICATION_OCTET_STREAM)
        .header("Content-Disposition", "attachment; filename=\"" + profile + ".pb.gz\"")
        .header("X-Content-Type-Options", "nosniff")
        .build();
  }

  private ObjectNode appSummary(Gather g, JsonNode app, int rollouts) {
    ObjectNode row = JSON.objectNode();
    String name = app.path("name").asText();
    row.set("app", app);
    ArrayNode latest = JSON.arrayNode();
    g.json(Service.ROLLOUT, "/rollouts?app=" + Ids.query(name) + "&limit=" + rollouts)
        .ifPresent(list -> list.forEach(latest::add));
    row.set("rollouts", latest);
    ArrayNode analyses = JSON.arrayNode();
    g.json(Service.MONITOR, "/analyses?app=" + Ids.query(name))
        .ifPresent(
            list -> {
              for (JsonNode a : list) {
                if (analyses.size() >= LAST_ANALYSES) {
                  break;
                }
                analyses.add(a);
              }
            });
    row.set("analyses", analyses);
    ArrayNode builds = JSON.arrayNode();
    String repo = app.path("repo").asText("");
    if (!repo.isEmpty()) {
      g.json(Service.BUILD_API, "/builds?repo=" + Ids.query(repo) + "&limit=" + LAST_BUILDS)
          .ifPresent(page -> page.path("items").forEach(builds::add));
    }
    row.set("builds", builds);
    return row;
  }

  private static ObjectNode withAway(ObjectNode out, Gather g) {
    ArrayNode away = JSON.arrayNode();
    g.away().forEach(away::add);
    out.set("away", away);
    return out;
  }

  private static Response json(Answer a, String what) {
    if (a.status() == 404) {
      throw new ApiException.NotFound("no " + what);
    }
    if (!a.ok()) {
      return passThrough(a);
    }
    return Response.ok(a.body(), MediaType.APPLICATION_JSON).build();
  }

  /**
   * An upstream's own 4xx (e.g. a 409 with its reason constant) as it came: our services' problems.
   */
  static Response passThrough(Answer a) {
    String type = a.contentType().isEmpty() ? MediaType.APPLICATION_JSON : a.contentType();
    return Response.status(a.status()).type(type).entity(a.body()).build();
  }

  private Gather gather() {
    return new Gather(upstreams, role());
  }

  private Role role() {
    return current.require().role();
  }
}

package dev.gantry.buildapi.api;

import dev.gantry.buildapi.domain.BuildService;
import dev.gantry.buildapi.domain.BuildStatus;
import dev.gantry.buildapi.domain.DeploymentPhase;
import dev.gantry.buildapi.domain.GitRef;
import dev.gantry.buildapi.domain.NewBuild;
import dev.gantry.buildapi.domain.RepoService;
import dev.gantry.buildapi.git.GitRemote;
import dev.gantry.buildapi.persistence.BuildEntity;
import dev.gantry.buildapi.persistence.BuildRepository;
import dev.gantry.buildapi.persistence.DeploymentEntity;
import dev.gantry.buildapi.persistence.DeploymentRepository;
import dev.gantry.buildapi.persistence.RepoEntity;
import dev.gantry.buildapi.persistence.VerdictRepository;
import dev.gantry.edge.ApiException;
import dev.gantry.events.build.RefType;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Developers' questions about their builds, and the two things they may ask for. */
@Path("/builds")
@Produces(MediaType.APPLICATION_JSON)
public class BuildResource {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  @Inject BuildService service;
  @Inject BuildRepository builds;
  @Inject DeploymentRepository deployments;
  @Inject VerdictRepository verdicts;
  @Inject RepoService repos;
  @Inject GitRemote git;

  @GET
  public BuildPage list(
      @QueryParam("repo") String repo,
      @QueryParam("ref") String ref,
      @QueryParam("status") String status,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      throw new ApiException.BadRequest("limit must be between 1 and " + MAX_LIMIT);
    }
    String repoKey = null;
    if (repo != null && !repo.isBlank()) {
      // an unregistered (or deleted) repository can still have builds: filter by key as given
      repoKey = repos.find(repo).map(r -> r.repoKey).orElse(repo.toLowerCase(Locale.ROOT));
    }
    BuildStatus wanted = parseStatus(status);
    Cursor after = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor);
    String refName = ref == null || ref.isBlank() ? null : ref;
    List<BuildEntity> page =
        builds.page(
            repoKey,
            refName,
            wanted,
            after == null ? null : after.createdAt(),
            after == null ? null : after.id(),
            size + 1);
    boolean more = page.size() > size;
    List<BuildView> items = page.stream().limit(size).map(BuildView::of).toList();
    if (!more) {
      return new BuildPage(items, null, null);
    }
    BuildEntity last = page.get(size - 1);
    String next = new Cursor(last.createdAt, last.id).encode();
    StringBuilder link = new StringBuilder("/builds?limit=").append(size);
    append(link, "repo", repo);
    append(link, "ref", refName);
    append(link, "status", status);
    append(link, "cursor", next);
    return new BuildPage(items, next, link.toString());
  }

  @GET
  @Path("/{id}")
  public BuildDetail get(@PathParam("id") String id) {
    BuildEntity build = service.get(RepoResource.uuid(id));
    return new BuildDetail(BuildView.of(build), deploymentOf(build.id));
  }

  private DeploymentView deploymentOf(UUID buildId) {
    DeploymentEntity d = deployments.findById(buildId);
    if (d == null) {
      return null;
    }
    // only a promoted build that still serves can be sharing its traffic with a newer canary
    Integer replacing =
        d.phase == DeploymentPhase.PROMOTED && d.supersededAt == null
            ? deployments.replacingCanaryWeight(d).orElse(null)
            : null;
    return DeploymentView.of(d, replacing, verdicts.findById(d.rolloutId));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(BuildRequest request) {
    if (request == null || request.repo() == null || request.repo().isBlank()) {
      throw new ApiException.BadRequest("repo (id or host/owner/name) is required");
    }
    if (request.ref() == null || request.ref().isBlank()) {
      throw new ApiException.BadRequest("ref (a branch or tag) is required");
    }
    RepoEntity repo = repos.get(request.repo());
    GitRef ref;
    String commit;
    if (request.commit() != null && !request.commit().isBlank()) {
      ref = GitRef.parseShort(request.ref(), RefType.BRANCH);
      commit = GitRef.checkCommit(request.commit().trim().toLowerCase(Locale.ROOT));
    } else {
      GitRemote.Resolved resolved = git.resolve(repo.cloneUrl, request.ref());
      ref = resolved.ref();
      commit = resolved.commit();
    }
    BuildService.Submitted submitted =
        service.submit(
            new NewBuild(repo, ref, commit, null, null, NewBuild.TRIGGER_MANUAL, null, null));
    BuildView view = BuildView.of(submitted.build());
    return (submitted.created() ? Response.accepted(view) : Response.ok(view))
        .location(URI.create("/builds/" + view.id()))
        .build();
  }

  @POST
  @Path("/{id}/cancel")
  public Response cancel(@PathParam("id") String id) {
    BuildEntity build = service.requestCancel(RepoResource.uuid(id), "cancelled by an operator");
    return Response.accepted(BuildView.of(build)).build();
  }

  private static BuildStatus parseStatus(String status) {
    if (status == null || status.isBlank()) {
      return null;
    }
    try {
      return BuildStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiException.BadRequest(
          "unknown status '" + status + "': expected one of " + List.of(BuildStatus.values()));
    }
  }

  private static void append(StringBuilder link, String name, String value) {
    if (value != null && !value.isBlank()) {
      link.append('&')
          .append(name)
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }

  /** Opaque to clients: the position after which the next page starts. */
  record Cursor(Instant createdAt, UUID id) {
    String encode() {
      long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    static Cursor decode(String cursor) {
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII)
                .split(":", 2);
        long micros = Long.parseLong(parts[0]);
        return new Cursor(
            Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000),
            UUID.fromString(parts[1]));
      } catch (RuntimeException e) {
        throw new ApiException.BadRequest("cursor is not one this API handed out");
      }
    }
  }
}

package dev.gantry.buildapi;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.buildapi.webhook.Signatures;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plays a forge in tests: registers a repository through the REST API, then builds and signs push
 * deliveries from the documented payload shapes under {@code src/test/resources/payloads}. Every
 * call makes its own repository so tests sharing one database never see each other's builds.
 */
public final class Forge {
  public static final String OPERATOR = "Bearer test-operator-token-0123456789";
  public static final String VIEWER = "Bearer test-viewer-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  public enum Kind {
    GITHUB("github", "https://github.com/acme/"),
    GITLAB("gitlab", "https://gitlab.acme.example/acme/"),
    GITEA("gitea", "https://gitea.acme.example/acme/");

    final String provider;
    final String base;

    Kind(String provider, String base) {
      this.provider = provider;
      this.base = base;
    }
  }

  /** A repository registered for this test. */
  public record Repo(
      Kind kind, String id, String key, String name, String cloneUrl, String secret) {
    String host() {
      return cloneUrl.replaceFirst("https://", "").replaceFirst("/.*", "");
    }
  }

  private Forge() {}

  public static Repo register(Kind kind) {
    return register(kind, List.of(), "cancel-older");
  }

  public static Repo register(Kind kind, List<String> branches, String supersede) {
    String name = "shop-" + UUID.randomUUID().toString().substring(0, 8);
    return register(kind, kind.base + name + ".git", name, branches, supersede);
  }

  public static Repo register(
      Kind kind, String cloneUrl, String name, List<String> branches, String supersede) {
    String secret = "s3cret-" + HexFormat.of().formatHex(randomBytes(12));
    Response r =
        given()
            .header("Authorization", OPERATOR)
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "cloneUrl", cloneUrl,
                    "provider", kind.provider,
                    "webhookSecret", secret,
                    "branches", branches,
                    "app", name,
                    "supersede", supersede))
            .post("/repos");
    r.then().statusCode(201);
    return new Repo(kind, r.path("id"), r.path("repo"), name, cloneUrl, secret);
  }

  public static String sha() {
    return HexFormat.of().formatHex(randomBytes(20));
  }

  public static String deliveryId() {
    return UUID.randomUUID().toString();
  }

  /** A push payload of the repository's forge. */
  public static byte[] push(Repo repo, String ref, String after, String message) {
    return switch (repo.kind()) {
      case GITHUB -> githubPush(repo, ref, after, message);
      case GITLAB -> gitlabPush(repo, ref, after, message);
      case GITEA -> giteaPush(repo, ref, after, message);
    };
  }

  public static byte[] githubPing(Repo repo) {
    ObjectNode root = template("github-ping.json");
    ObjectNode r = (ObjectNode) root.get("repository");
    setGithubRepository(repo, r);
    return bytes(root);
  }

  private static byte[] githubPush(Repo repo, String ref, String after, String message) {
    ObjectNode root = template("github-push.json");
    setGithubRepository(repo, (ObjectNode) root.get("repository"));
    root.put("ref", ref);
    root.put("after", after);
    boolean deleted = after.chars().allMatch(c -> c == '0');
    root.put("deleted", deleted);
    if (deleted) {
      root.putNull("head_commit");
      root.putArray("commits");
    } else {
      setCommit((ObjectNode) root.get("head_commit"), after, message);
      setCommit((ObjectNode) root.withArray("commits").get(0), after, message);
    }
    return bytes(root);
  }

  private static void setGithubRepository(Repo repo, ObjectNode r) {
    String web = repo.cloneUrl().replaceFirst("\\.git$", "");
    r.put("name", repo.name());
    r.put("full_name", "acme/" + repo.name());
    r.put("html_url", web);
    r.put("url", web);
    r.put("clone_url", repo.cloneUrl());
    r.put("ssh_url", "git@" + repo.host() + ":acme/" + repo.name() + ".git");
  }

  private static byte[] gitlabPush(Repo repo, String ref, String after, String message) {
    boolean tag = ref.startsWith("refs/tags/");
    ObjectNode root = template(tag ? "gitlab-tag-push.json" : "gitlab-push.json");
    String web = repo.cloneUrl().replaceFirst("\\.git$", "");
    String ssh = "git@" + repo.host() + ":acme/" + repo.name() + ".git";
    for (String container : List.of("project", "repository")) {
      ObjectNode p = (ObjectNode) root.get(container);
      p.put("git_http_url", repo.cloneUrl());
      p.put("git_ssh_url", ssh);
      p.put("homepage", web);
      p.put("url", ssh);
      if (container.equals("project")) {
        p.put("web_url", web);
        p.put("http_url", repo.cloneUrl());
        p.put("ssh_url", ssh);
        p.put("path_with_namespace", "acme/" + repo.name());
      }
    }
    root.put("ref", ref);
    root.put("after", after);
    boolean deleted = after.chars().allMatch(c -> c == '0');
    if (deleted) {
      root.putNull("checkout_sha");
      root.putArray("commits");
    } else {
      root.put("checkout_sha", after);
      ArrayNode commits = root.withArray("commits");
      if (!commits.isEmpty()) {
        setCommit((ObjectNode) commits.get(commits.size() - 1), after, message);
      } else {
        root.put("message", message);
      }
    }
    return bytes(root);
  }

  private static byte[] giteaPush(Repo repo, String ref, String after, String message) {
    ObjectNode root = template("gitea-push.json");
    ObjectNode r = (ObjectNode) root.get("repository");
    String web = repo.cloneUrl().replaceFirst("\\.git$", "");
    r.put("name", repo.name());
    r.put("full_name", "acme/" + repo.name());
    r.put("html_url", web);
    r.put("clone_url", repo.cloneUrl());
    r.put("ssh_url", "git@" + repo.host() + ":acme/" + repo.name() + ".git");
    root.put("ref", ref);
    root.put("after", after);
    if (after.chars().allMatch(c -> c == '0')) {
      root.putNull("head_commit");
      root.putArray("commits");
    } else {
      setCommit((ObjectNode) root.get("head_commit"), after, message);
      setCommit((ObjectNode) root.withArray("commits").get(0), after, message);
    }
    return bytes(root);
  }

  private static void setCommit(ObjectNode commit, String id, String message) {
    commit.put("id", id);
    commit.put("message", message);
  }

  /** A request carrying the delivery as the repository's forge would sign and label it. */
  public static RequestSpecification delivery(
      Repo repo, String event, String deliveryId, byte[] body) {
    RequestSpecification spec = given().contentType(ContentType.JSON).body(body);
    switch (repo.kind()) {
      case GITHUB ->
          spec.header("X-GitHub-Event", event)
              .header("X-GitHub-Delivery", deliveryId)
              .header(
                  "X-Hub-Signature-256", "sha256=" + Signatures.hmacSha256Hex(body, repo.secret()));
      case GITLAB ->
          spec.header("X-Gitlab-Event", event)
              .header("X-Gitlab-Event-UUID", deliveryId)
              .header("X-Gitlab-Token", repo.secret());
      case GITEA ->
          spec.header("X-Gitea-Event", event)
              .header("X-Gitea-Delivery", deliveryId)
              .header("X-Gitea-Signature", Signatures.hmacSha256Hex(body, repo.secret()));
    }
    return spec;
  }

  /** The forge's name for a push of this ref. */
  public static String pushEvent(Repo repo, String ref) {
    return switch (repo.kind()) {
      case GITHUB, GITEA -> "push";
      case GITLAB -> ref.startsWith("refs/tags/") ? "Tag Push Hook" : "Push Hook";
    };
  }

  /** Signs and sends a push; returns the response for assertions. */
  public static Response sendPush(Repo repo, String ref, String sha, String message) {
    byte[] body = push(repo, ref, sha, message);
    return delivery(repo, pushEvent(repo, ref), deliveryId(), body)
        .post("/webhooks/" + repo.kind().provider);
  }

  private static ObjectNode template(String name) {
    try (InputStream in = Forge.class.getResourceAsStream("/payloads/" + name)) {
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}

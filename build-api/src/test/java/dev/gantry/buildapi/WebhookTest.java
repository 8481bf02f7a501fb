package dev.gantry.buildapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.gantry.buildapi.Forge.Kind;
import dev.gantry.buildapi.Forge.Repo;
import dev.gantry.buildapi.webhook.Signatures;
import dev.gantry.events.EventTypes;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.RefType;
import dev.gantry.testkit.EventRecord;
import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
class WebhookTest {

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldQueueOneBuildAndPublishBuildRequestedWhenSignedPushArrives(Kind kind) {
    Repo repo = Forge.register(kind);
    String sha = Forge.sha();

    String id =
        Forge.sendPush(repo, "refs/heads/main", sha, "Add the checkout endpoint")
            .then()
            .statusCode(202)
            .body("outcome", equalTo("queued"))
            .body("build.status", equalTo("QUEUED"))
            .body("build.commit", equalTo(sha))
            .body("build.refName", equalTo("main"))
            .extract()
            .path("build.id");

    EventRecord record = Topic.awaitRequested(id);
    assertThat(record.key()).isEqualTo(repo.key() + "@main");
    assertThat(record.event().source()).isEqualTo("build-api");
    BuildRequested requested = record.data(BuildRequested.class);
    assertThat(requested.commit()).isEqualTo(sha);
    assertThat(requested.repo()).isEqualTo(repo.key());
    assertThat(requested.cloneUrl()).isEqualTo(repo.cloneUrl());
    assertThat(requested.refType()).isEqualTo(RefType.BRANCH);
    assertThat(requested.appName()).isEqualTo(repo.name());
    assertThat(requested.provider()).isEqualTo(kind.provider);
    assertThat(requested.version()).isNull();

    given()
        .header("Authorization", Forge.VIEWER)
        .get("/builds/" + id)
        .then()
        .statusCode(200)
        .body("status", equalTo("QUEUED"))
        .body("repo", equalTo(repo.key()))
        .body("trigger", equalTo("webhook"))
        .body("links.cancel", equalTo("/builds/" + id + "/cancel"));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldVersionBuildByTagWhenTagIsPushed(Kind kind) {
    Repo repo = Forge.register(kind);

    String id =
        Forge.sendPush(repo, "refs/tags/v1.4.0", Forge.sha(), "Release 1.4.0")
            .then()
            .statusCode(202)
            .body("build.refType", equalTo("TAG"))
            .body("build.version", equalTo("v1.4.0"))
            .extract()
            .path("build.id");

    BuildRequested requested = Topic.awaitRequested(id).data(BuildRequested.class);
    assertThat(requested.version()).isEqualTo("v1.4.0");
    assertThat(requested.refType()).isEqualTo(RefType.TAG);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldIgnoreBranchDeletion(Kind kind) {
    Repo repo = Forge.register(kind);

    Forge.sendPush(repo, "refs/heads/main", "0".repeat(40), null)
        .then()
        .statusCode(202)
        .body("outcome", equalTo("ignored"))
        .body("reason", containsString("deleted"))
        .body("build", nullValue());

    assertNoBuilds(repo);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldRecordSkippedBuildWithoutPublishingWhenCommitSaysSkipCi(Kind kind) {
    Repo repo = Forge.register(kind);

    String id =
        Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "Fix typo in README [skip ci]")
            .then()
            .statusCode(202)
            .body("outcome", equalTo("skipped"))
            .body("build.status", equalTo("SKIPPED"))
            .body("build.skipReason", containsString("[skip ci]"))
            .extract()
            .path("build.id");
    Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "Docs only [CI SKIP]")
        .then()
        .statusCode(202)
        .body("outcome", equalTo("skipped"));

    Topic.sentinel(repo, "main");
    assertThat(Topic.about(id)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldReturnOriginalBuildAndPublishNothingWhenDeliveryIsRedelivered(Kind kind) {
    Repo repo = Forge.register(kind, List.of(), "none");
    byte[] body = Forge.push(repo, "refs/heads/main", Forge.sha(), "Add cart");
    String delivery = Forge.deliveryId();
    String event = Forge.pushEvent(repo, "refs/heads/main");

    String id =
        Forge.delivery(repo, event, delivery, body)
            .post("/webhooks/" + kind.provider)
            .then()
            .statusCode(202)
            .body("build.deliveryId", equalTo(delivery))
            .extract()
            .path("build.id");
    Topic.awaitRequested(id);

    for (int i = 0; i < 3; i++) {
      Forge.delivery(repo, event, delivery, body)
          .post("/webhooks/" + kind.provider)
          .then()
          .statusCode(200)
          .body("outcome", equalTo("duplicate"))
          .body("build.id", equalTo(id));
    }

    Topic.sentinel(repo, "main");
    assertThat(Topic.about(id)).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldReturnExistingBuildWhenSameCommitIsPushedAgainInANewDelivery(Kind kind) {
    Repo repo = Forge.register(kind, List.of(), "none");
    String sha = Forge.sha();

    String id =
        Forge.sendPush(repo, "refs/heads/main", sha, "first")
            .then()
            .statusCode(202)
            .extract()
            .path("build.id");
    Forge.sendPush(repo, "refs/heads/main", sha, "first")
        .then()
        .statusCode(200)
        .body("outcome", equalTo("duplicate"))
        .body("build.id", equalTo(id));

    Topic.sentinel(repo, "main");
    assertThat(Topic.about(id)).hasSize(1);
  }

  @Test
  void shouldCreateExactlyOneBuildWhenTheSameDeliveryArrivesConcurrently() throws Exception {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    byte[] body = Forge.push(repo, "refs/heads/main", Forge.sha(), "race");
    String delivery = Forge.deliveryId();

    List<Thread> threads = new java.util.ArrayList<>();
    java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.List<Integer> statuses =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    for (int i = 0; i < 8; i++) {
      Thread t =
          new Thread(
              () -> {
                io.restassured.response.Response r =
                    Forge.delivery(repo, "push", delivery, body).post("/webhooks/github");
                statuses.add(r.statusCode());
                ids.add(r.path("build.id"));
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(60_000);
    }

    assertThat(statuses).hasSize(8).containsOnly(200, 202).containsOnlyOnce(202);
    assertThat(ids).hasSize(1);
    Topic.sentinel(repo, "main");
    assertThat(Topic.about(ids.iterator().next())).hasSize(1);
  }

  @Test
  void shouldAnswerPingWithoutBuilding() {
    Repo repo = Forge.register(Kind.GITHUB);

    Forge.delivery(repo, "ping", Forge.deliveryId(), Forge.githubPing(repo))
        .post("/webhooks/github")
        .then()
        .statusCode(200)
        .body("outcome", equalTo("pong"));

    assertNoBuilds(repo);
  }

  @ParameterizedTest
  @ValueSource(strings = {"issues", "pull_request", "create", "release"})
  void shouldAcceptButIgnoreOtherEventTypesWithTheReason(String event) {
    Repo repo = Forge.register(Kind.GITHUB);

    Forge.delivery(repo, event, Forge.deliveryId(), Forge.githubPing(repo))
        .post("/webhooks/github")
        .then()
        .statusCode(202)
        .body("outcome", equalTo("ignored"))
        .body("reason", containsString("'" + event + "'"));

    assertNoBuilds(repo);
  }

  @Test
  void shouldIgnoreGitlabMergeRequestHook() {
    Repo repo = Forge.register(Kind.GITLAB);
    byte[] body = Forge.push(repo, "refs/heads/main", Forge.sha(), "x");

    Forge.delivery(repo, "Merge Request Hook", Forge.deliveryId(), body)
        .post("/webhooks/gitlab")
        .then()
        .statusCode(202)
        .body("outcome", equalTo("ignored"));

    assertNoBuilds(repo);
  }

  @Test
  void shouldAcceptForgejoHeaders() {
    Repo repo = Forge.register(Kind.GITEA);
    byte[] body = Forge.push(repo, "refs/heads/main", Forge.sha(), "from forgejo");

    given()
        .contentType(ContentType.JSON)
        .body(body)
        .header("X-Forgejo-Event", "push")
        .header("X-Forgejo-Delivery", Forge.deliveryId())
        .header("X-Forgejo-Signature", Signatures.hmacSha256Hex(body, repo.secret()))
        .post("/webhooks/gitea")
        .then()
        .statusCode(202)
        .body("outcome", equalTo("queued"));
  }

  @Test
  void shouldIgnoreBranchesOutsideTheFilterButBuildTagsAndMatchingBranches() {
    Repo repo = Forge.register(Kind.GITHUB, List.of("main", "release/*"), "cancel-older");

    Forge.sendPush(repo, "refs/heads/feature/cart", Forge.sha(), "wip")
        .then()
        .statusCode(202)
        .body("outcome", equalTo("ignored"))
        .body("reason", containsString("branch filter"));
    Forge.sendPush(repo, "refs/heads/release/1.2", Forge.sha(), "rc")
        .then()
        .statusCode(202)
        .body("outcome", equalTo("queued"));
    Forge.sendPush(repo, "refs/tags/v1.2.0", Forge.sha(), "tag")
        .then()
        .statusCode(202)
        .body("outcome", equalTo("queued"));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldRejectWrongSignatureAndChangeNothing(Kind kind) {
    Repo repo = Forge.register(kind);
    Repo impostor =
        new Repo(
            kind, repo.id(), repo.key(), repo.name(), repo.cloneUrl(), "wrong-secret-0123456789");
    byte[] body = Forge.push(repo, "refs/heads/main", Forge.sha(), "evil");

    Forge.delivery(impostor, Forge.pushEvent(repo, "refs/heads/main"), Forge.deliveryId(), body)
        .post("/webhooks/" + kind.provider)
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("status", equalTo(401));

    assertNoBuilds(repo);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldRejectUnsignedDelivery(Kind kind) {
    Repo repo = Forge.register(kind);
    byte[] body = Forge.push(repo, "refs/heads/main", Forge.sha(), "unsigned");
    String eventHeader =
        switch (kind) {
          case GITHUB -> "X-GitHub-Event";
          case GITLAB -> "X-Gitlab-Event";
          case GITEA -> "X-Gitea-Event";
        };

    given()
        .contentType(ContentType.JSON)
        .header(eventHeader, Forge.pushEvent(repo, "refs/heads/main"))
        .body(body)
        .post("/webhooks/" + kind.provider)
        .then()
        .statusCode(401)
        .body("detail", containsString("missing"));

    assertNoBuilds(repo);
  }

  @Test
  void shouldRejectGithubDeliveryThatCarriesOnlyTheSha1Signature() throws Exception {
    Repo repo = Forge.register(Kind.GITHUB);
    byte[] body = Forge.push(repo, "refs/heads/main", Forge.sha(), "sha1 only");
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            repo.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    String sha1 = "sha1=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));

    given()
        .contentType(ContentType.JSON)
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", Forge.deliveryId())
        .header("X-Hub-Signature", sha1)
        .body(body)
        .post("/webhooks/github")
        .then()
        .statusCode(401)
        .body("detail", containsString("X-Hub-Signature-256"));

    assertNoBuilds(repo);
  }

  @Test
  void shouldRejectSignatureOverADifferentBody() {
    Repo repo = Forge.register(Kind.GITHUB);
    byte[] signed = Forge.push(repo, "refs/heads/main", Forge.sha(), "original");
    byte[] tampered = Forge.push(repo, "refs/heads/main", Forge.sha(), "tampered");

    given()
        .contentType(ContentType.JSON)
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", Forge.deliveryId())
        .header("X-Hub-Signature-256", "sha256=" + Signatures.hmacSha256Hex(signed, repo.secret()))
        .body(tampered)
        .post("/webhooks/github")
        .then()
        .statusCode(401);

    assertNoBuilds(repo);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldRejectUnregisteredRepository(Kind kind) {
    Repo ghost =
        new Repo(
            kind,
            null,
            "x",
            "ghost",
            kind.base + "ghost-" + Forge.sha().substring(0, 6) + ".git",
            "whatever-secret-123456");
    Forge.sendPush(ghost, "refs/heads/main", Forge.sha(), "hello")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("not registered"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "refs/heads/feature..x",
        "refs/heads/-rf",
        "refs/heads/a@{1}",
        "refs/heads/bad\u0001name",
        "refs/heads/with space",
        "refs/heads/x.lock",
        "refs/heads/.hidden",
        "refs/heads/ends/",
        "refs/heads/colon:x",
        "refs/heads/tilde~1",
        "refs/remotes/origin/main",
        "main"
      })
  void shouldRejectRefNamesGitWouldRefuse(String ref) {
    Repo repo = Forge.register(Kind.GITHUB);

    Forge.sendPush(repo, ref, Forge.sha(), "hostile")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");

    assertNoBuilds(repo);
  }

  @Test
  void shouldRejectMalformedJson() {
    Repo repo = Forge.register(Kind.GITHUB);
    byte[] body =
        "{\"ref\": \"refs/heads/main\", \"repository\": {".getBytes(StandardCharsets.UTF_8);

    Forge.delivery(repo, "push", Forge.deliveryId(), body)
        .post("/webhooks/github")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("JSON"));
    assertNoBuilds(repo);
  }

  @Test
  void shouldRejectSignedPushWithoutCommitOrWithNonHexCommit() {
    Repo repo = Forge.register(Kind.GITHUB);
    byte[] body = Forge.push(repo, "refs/heads/main", "not-a-sha;rm -rf /", "x");

    Forge.delivery(repo, "push", Forge.deliveryId(), body)
        .post("/webhooks/github")
        .then()
        .statusCode(400)
        .body("detail", containsString("commit"));
    assertNoBuilds(repo);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ref", "after"})
  void shouldRejectSignedPushWithoutARequiredField(String field) throws Exception {
    Repo repo = Forge.register(Kind.GITHUB);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json.readTree(Forge.push(repo, "refs/heads/main", Forge.sha(), "x"));
    root.remove(field);

    Forge.delivery(repo, "push", Forge.deliveryId(), json.writeValueAsBytes(root))
        .post("/webhooks/github")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("'" + field + "'"));
    assertNoBuilds(repo);
  }

  @Test
  void shouldRejectBodyOverTheLimitWith413() {
    Repo repo = Forge.register(Kind.GITHUB);
    byte[] big = new byte[26 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';

    Forge.delivery(repo, "push", Forge.deliveryId(), big)
        .post("/webhooks/github")
        .then()
        .statusCode(413);
    assertNoBuilds(repo);
  }

  @Test
  void shouldCountWebhooksByProviderAndOutcome() {
    Repo repo = Forge.register(Kind.GITLAB);
    Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "metrics").then().statusCode(202);

    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("gantry_webhooks_total{outcome=\"queued\",provider=\"gitlab\"}"));
  }

  /**
   * Nothing was written for the repository, and nothing was published for it: a sentinel push on
   * the same branch is, once it is on the topic, the only event about the repository there.
   */
  static void assertNoBuilds(Repo repo) {
    given()
        .header("Authorization", Forge.VIEWER)
        .queryParam("repo", repo.key())
        .get("/builds")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(0));
    Topic.sentinel(repo, "main");
    assertThat(
            dev.gantry.testkit.KafkaEvents.readAll(dev.gantry.events.Topics.BUILD_REQUESTS).stream()
                .filter(r -> r.key().startsWith(repo.key() + "@")))
        .singleElement()
        .satisfies(r -> assertThat(r.key()).isEqualTo(repo.key() + "@main"));
  }

  static List<EventRecord> requestedFor(String id) {
    return Topic.about(id).stream()
        .filter(r -> r.type().equals(EventTypes.BUILD_REQUESTED))
        .toList();
  }
}

package dev.gantry.buildapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.gantry.buildapi.Forge.Kind;
import dev.gantry.buildapi.Forge.Repo;
import dev.gantry.events.build.BuildCancelRequested;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.GitFixture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
class BuildResourceTest {

  @Test
  void shouldListNewestFirstAndPageWithACursorWithoutGapsOrRepeats() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    List<String> pushed = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      pushed.add(
          Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "commit " + i)
              .then()
              .statusCode(202)
              .extract()
              .path("build.id"));
    }

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var spec =
          given()
              .header("Authorization", Forge.VIEWER)
              .queryParam("repo", repo.key())
              .queryParam("limit", 3);
      if (cursor != null) {
        spec.queryParam("cursor", cursor);
      }
      var page = spec.get("/builds").then().statusCode(200).extract();
      seen.addAll(page.path("items.id"));
      cursor = page.path("nextCursor");
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    java.util.Collections.reverse(pushed);
    assertThat(seen).containsExactlyElementsOf(pushed);
  }

  @Test
  void shouldFilterByRefAndStatus() {
    Repo repo = Forge.register(Kind.GITEA, List.of(), "none");
    Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "on main").then().statusCode(202);
    Forge.sendPush(repo, "refs/heads/dev", Forge.sha(), "on dev").then().statusCode(202);
    Forge.sendPush(repo, "refs/heads/dev", Forge.sha(), "docs [skip ci]").then().statusCode(202);

    given()
        .header("Authorization", Forge.VIEWER)
        .queryParam("repo", repo.id())
        .queryParam("ref", "dev")
        .get("/builds")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(2))
        .body("items.refName", org.hamcrest.Matchers.everyItem(equalTo("dev")));
    given()
        .header("Authorization", Forge.VIEWER)
        .queryParam("repo", repo.key())
        .queryParam("status", "skipped")
        .get("/builds")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(1))
        .body("items[0].message", equalTo("docs [skip ci]"));
  }

  @Test
  void shouldRejectBadListParameters() {
    given()
        .header("Authorization", Forge.VIEWER)
        .queryParam("limit", 0)
        .get("/builds")
        .then()
        .statusCode(400);
    given()
        .header("Authorization", Forge.VIEWER)
        .queryParam("limit", 101)
        .get("/builds")
        .then()
        .statusCode(400);
    given()
        .header("Authorization", Forge.VIEWER)
        .queryParam("status", "DONE")
        .get("/builds")
        .then()
        .statusCode(400);
    given()
        .header("Authorization", Forge.VIEWER)
        .queryParam("cursor", "bm90LWEtY3Vyc29y")
        .get("/builds")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void shouldAnswer404ForUnknownBuild() {
    given()
        .header("Authorization", Forge.VIEWER)
        .get("/builds/" + java.util.UUID.randomUUID())
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given().header("Authorization", Forge.VIEWER).get("/builds/not-a-uuid").then().statusCode(404);
  }

  @Test
  void shouldBuildTheHeadOfARefResolvedWithGitWhenAskedManually() throws Exception {
    Path dir = Files.createTempDirectory("gantry-git");
    GitFixture git = GitFixture.createBare(dir);
    String head =
        git.commit("main", "initial", Map.of("main.go", "package main\nfunc main() {}\n"));
    String tagged = git.commit("main", "second", Map.of("README", "hello\n"));
    git.tag("v2.0.0", tagged);
    Repo repo =
        Forge.register(
            Kind.GITEA, git.url(), "local-" + Forge.sha().substring(0, 6), List.of(), "none");
    String newest = git.commit("main", "third", Map.of("README", "hello again\n"));

    String id =
        manualBuild(Map.of("repo", repo.id(), "ref", "main"))
            .statusCode(202)
            .body("commit", equalTo(newest))
            .body("trigger", equalTo("manual"))
            .body("ref", equalTo("refs/heads/main"))
            .extract()
            .path("id");
    assertThat(Topic.awaitRequested(id).data(BuildRequested.class).commit()).isEqualTo(newest);

    manualBuild(Map.of("repo", repo.key(), "ref", "v2.0.0"))
        .statusCode(202)
        .body("commit", equalTo(tagged))
        .body("refType", equalTo("TAG"))
        .body("version", equalTo("v2.0.0"));

    manualBuild(Map.of("repo", repo.id(), "ref", "main", "commit", head))
        .statusCode(202)
        .body("commit", equalTo(head));

    // the same commit again returns the live build
    manualBuild(Map.of("repo", repo.id(), "ref", "main")).statusCode(200).body("id", equalTo(id));

    manualBuild(Map.of("repo", repo.id(), "ref", "no-such-branch"))
        .statusCode(400)
        .body("detail", containsString("does not exist"));
  }

  @Test
  void shouldRejectHostileManualRefBeforeRunningGit() {
    Repo repo = Forge.register(Kind.GITHUB);
    for (String ref : List.of("--upload-pack=touch /tmp/pwned", "a..b", "x@{0}")) {
      manualBuild(Map.of("repo", repo.id(), "ref", ref))
          .statusCode(400)
          .contentType("application/problem+json");
    }
    WebhookTest.assertNoBuilds(repo);
  }

  @Test
  void shouldPublishCancelRequestAndRefuseToCancelATerminalBuild() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    String id =
        Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "to cancel")
            .then()
            .statusCode(202)
            .extract()
            .path("build.id");

    given()
        .header("Authorization", Forge.OPERATOR)
        .post("/builds/" + id + "/cancel")
        .then()
        .statusCode(202)
        .body("cancel.requestedAt", notNullValue());
    BuildCancelRequested cancel = Topic.awaitCancelRequested(id).data(BuildCancelRequested.class);
    assertThat(cancel.reason()).contains("operator");
    assertThat(cancel.supersededBy()).isNull();

    String skipped =
        Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "[skip ci]")
            .then()
            .extract()
            .path("build.id");
    given()
        .header("Authorization", Forge.OPERATOR)
        .post("/builds/" + skipped + "/cancel")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("SKIPPED"));
  }

  @Test
  void shouldSupersedeOlderBuildsOfTheBranchButNeverTags() {
    Repo repo = Forge.register(Kind.GITLAB);
    String older =
        Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "one")
            .then()
            .extract()
            .path("build.id");
    String otherBranch =
        Forge.sendPush(repo, "refs/heads/dev", Forge.sha(), "dev")
            .then()
            .extract()
            .path("build.id");
    String tag =
        Forge.sendPush(repo, "refs/tags/v1.0.0", Forge.sha(), "tag")
            .then()
            .extract()
            .path("build.id");
    String newer =
        Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "two")
            .then()
            .extract()
            .path("build.id");

    BuildCancelRequested cancel =
        Topic.awaitCancelRequested(older).data(BuildCancelRequested.class);
    assertThat(cancel.supersededBy()).isEqualTo(newer);
    assertThat(cancel.refName()).isEqualTo("main");
    given()
        .header("Authorization", Forge.VIEWER)
        .get("/builds/" + older)
        .then()
        .body("cancel.reason", containsString("superseded"));

    Topic.sentinel(repo, "main");
    assertThat(Topic.about(otherBranch)).hasSize(1);
    assertThat(Topic.about(tag)).hasSize(1);
    assertThat(WebhookTest.requestedFor(newer)).hasSize(1);
    given()
        .header("Authorization", Forge.VIEWER)
        .get("/builds/" + tag)
        .then()
        .body("cancel", nullValue());
  }

  @Test
  void shouldNotSupersedeWhenThePolicyIsNone() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    String older =
        Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "one")
            .then()
            .extract()
            .path("build.id");
    Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "two").then().statusCode(202);

    Topic.sentinel(repo, "main");
    assertThat(Topic.about(older)).hasSize(1);
  }

  @Test
  void shouldRequireTokensAsConfigured() {
    given()
        .get("/builds")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"));
    given().header("Authorization", "Bearer nope").get("/builds").then().statusCode(401);
    given().header("Authorization", Forge.VIEWER).get("/builds").then().statusCode(200);
    given().header("Authorization", Forge.OPERATOR).get("/builds").then().statusCode(200);
    given()
        .header("Authorization", Forge.VIEWER)
        .contentType(ContentType.JSON)
        .body(Map.of("repo", "x", "ref", "main"))
        .post("/builds")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    given().post("/builds/" + java.util.UUID.randomUUID() + "/cancel").then().statusCode(401);
  }

  private static io.restassured.response.ValidatableResponse manualBuild(Map<String, ?> body) {
    return given()
        .header("Authorization", Forge.OPERATOR)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/builds")
        .then();
  }
}

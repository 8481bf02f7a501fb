package dev.gantry.buildapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.gantry.buildapi.Forge.Kind;
import dev.gantry.buildapi.Forge.Repo;
import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
class RepoResourceTest {

  @Test
  void shouldRegisterListAndDeleteWithoutEverReturningTheSecret() {
    Repo repo = Forge.register(Kind.GITHUB, List.of("main", "release/*"), "none");

    given()
        .header("Authorization", Forge.OPERATOR)
        .get("/repos/" + repo.id())
        .then()
        .statusCode(200)
        .body("repo", equalTo("github.com/acme/" + repo.name()))
        .body("branches", equalTo(List.of("main", "release/*")))
        .body("supersede", equalTo("none"))
        .body("webhookPath", equalTo("/webhooks/github"))
        .body(not(containsString(repo.secret())));
    String all =
        given()
            .header("Authorization", Forge.OPERATOR)
            .get("/repos")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    org.assertj.core.api.Assertions.assertThat(all)
        .contains(repo.id())
        .doesNotContain(repo.secret());

    given()
        .header("Authorization", Forge.OPERATOR)
        .delete("/repos/" + repo.id())
        .then()
        .statusCode(204);
    given()
        .header("Authorization", Forge.OPERATOR)
        .get("/repos")
        .then()
        .body("id", not(hasItem(repo.id())));
    given()
        .header("Authorization", Forge.OPERATOR)
        .delete("/repos/" + repo.id())
        .then()
        .statusCode(404);
    Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "after delete").then().statusCode(404);
  }

  @Test
  void shouldRefuseASecondRegistrationOfTheSameRepository() {
    Repo repo = Forge.register(Kind.GITHUB);
    Map<String, Object> again = valid();
    again.put("cloneUrl", "git@github.com:acme/" + repo.name() + ".git");

    given()
        .header("Authorization", Forge.OPERATOR)
        .contentType(ContentType.JSON)
        .body(again)
        .post("/repos")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://github.com/acme/shop.git",
        "git://github.com/acme/shop.git",
        "ext::sh -c touch% /tmp/pwned",
        "-uhttps://github.com/acme/shop.git",
        "https://user:token@github.com/acme/shop.git",
        "https://github.com/acme/shop.git --upload-pack=x",
        "https://github.com/shop",
        "https://github.com/acme/../../etc.git",
        "ftp://github.com/acme/shop.git",
        "https://github.com/acme/shop.git?x=1",
        "/srv/git/shop.git"
      })
  void shouldRejectCloneUrlsGitMustNotBeHanded(String url) {
    Map<String, Object> body = valid();
    body.put("cloneUrl", url);

    given()
        .header("Authorization", Forge.OPERATOR)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/repos")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("clone URL"));
  }

  @Test
  void shouldRejectInvalidFields() {
    for (var entry :
        List.of(
            Map.entry("provider", "bitbucket"),
            Map.entry("webhookSecret", "short"),
            Map.entry("app", "Not A DNS Label"),
            Map.entry("supersede", "sometimes"))) {
      Map<String, Object> body = valid();
      body.put(entry.getKey(), entry.getValue());
      given()
          .header("Authorization", Forge.OPERATOR)
          .contentType(ContentType.JSON)
          .body(body)
          .post("/repos")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    Map<String, Object> badBranch = valid();
    badBranch.put("branches", List.of("main; rm -rf /"));
    given()
        .header("Authorization", Forge.OPERATOR)
        .contentType(ContentType.JSON)
        .body(badBranch)
        .post("/repos")
        .then()
        .statusCode(400);
    given()
        .header("Authorization", Forge.OPERATOR)
        .contentType(ContentType.JSON)
        .body("{nope")
        .post("/repos")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void shouldNeedTheOperatorTokenEvenToRead() {
    given().get("/repos").then().statusCode(401);
    given().header("Authorization", Forge.VIEWER).get("/repos").then().statusCode(403);
    given()
        .header("Authorization", Forge.VIEWER)
        .contentType(ContentType.JSON)
        .body(valid())
        .post("/repos")
        .then()
        .statusCode(403);
  }

  private static Map<String, Object> valid() {
    Map<String, Object> body = new HashMap<>();
    body.put("cloneUrl", "https://github.com/acme/valid-" + Forge.sha().substring(0, 8) + ".git");
    body.put("provider", "github");
    body.put("webhookSecret", "a-long-enough-secret");
    body.put("app", "valid");
    return body;
  }
}

package dev.gantry.rollout.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.gantry.edge.Problems;
import dev.gantry.events.id.AppName;
import dev.gantry.events.id.RepoKey;
import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
// the kubernetes router's API server (fabric8 mock, CRUD mode) as a global resource, as
// monitor-service
// does: @WithKubernetesTestServer would restrict it to one class and restart Quarkus for it
@QuarkusTestResource(KubernetesServerTestResource.class)
class AppResourceTest {
  private static final String OPERATOR = "Bearer test-operator-token-0123456789";
  private static final String VIEWER = "Bearer test-viewer-token-0123456789";
  private static final String PROBLEM = Problems.PROBLEM_JSON;

  @Test
  void shouldRegisterAnAppWithTheDefaultPolicy() {
    String name = name();
    register(
            Map.of(
                "name",
                name,
                "repo",
                "github.com/acme/" + name,
                "listenPort",
                PORTS.getAndIncrement()))
        .statusCode(201)
        .header("Location", endsWith("/apps/" + name))
        .body("router", equalTo("local"))
        .body("branch", equalTo("main"))
        .body("healthPath", equalTo("/healthz"))
        .body("platform", equalTo("linux_amd64"))
        .body("steps.weight", contains(5, 25, 50, 100))
        .body("steps.gate.type", contains("analysis", "analysis", "analysis", "analysis"))
        .body("stepDeadlineSeconds", equalTo(600))
        .body("onNewBuild", equalTo("queue"));

    given()
        .header("Authorization", VIEWER)
        .get("/apps/" + name)
        .then()
        .statusCode(200)
        .body("repo", equalTo("github.com/acme/" + name));
  }

  @Test
  void shouldRegisterAnAppFedByAnyRepositoryKeyBuildApiRegisters() {
    // ./gantry demo's forge in a clone 12 folders deep, keyed as build-api keys its file:// URL
    String demo =
        RepoKey.ofLocalPath(
                "/home/dev/go/src/github.com/acme-org/platform/tools/ci/checkouts/issue-14/gantry"
                    + "/var/demo/hello-1204150000/repo/forge.git")
            .value();
    // and by the longest name build-api registers an app under
    String longest = (name() + "-" + "a".repeat(63)).substring(0, AppName.MAX_LENGTH);
    register(app(longest, Map.of("repo", demo)))
        .statusCode(201)
        .body("name", equalTo(longest))
        .body("repo", equalTo(demo));

    String name = name();
    for (String repo : List.of("gitea.acme.example:3000/acme/" + name, "git.sr.ht/~acme/" + name)) {
      register(app(name(), Map.of("repo", repo))).statusCode(201).body("repo", equalTo(repo));
    }
  }

  @Test
  void shouldRefuseARepositoryKeyOfThirtyThreePartsSayingSo() {
    String name = name();
    String repo = "gitlab.example.com" + "/g".repeat(31) + "/" + name;

    register(app(name, Map.of("repo", repo)))
        .statusCode(400)
        .contentType(PROBLEM)
        .body("detail", containsString("repo must be"))
        .body("detail", containsString("33 path parts, at most 32"));
    given().header("Authorization", VIEWER).get("/apps/" + name).then().statusCode(404);
  }

  @Test
  void shouldRefuseHostileOrInvalidAppsAndStoreNothing() {
    List<Map<String, Object>> bad =
        List.of(
            app("../etc", Map.of()),
            app("Shop Front", Map.of()),
            app("x".repeat(64), Map.of()),
            app(name(), Map.of("branch", "main;rm -rf /")),
            app(name(), Map.of("branch", "../../refs")),
            app(name(), Map.of("repo", "https://evil.example/$(id)")),
            app(name(), Map.of("healthPath", "healthz?x=`id`")),
            app(name(), Map.of("router", "istio")),
            app(name(), Map.of("listenPort", 80)),
            app(name(), Map.of("routerOptions", Map.of("namespace", "a b; c"))),
            app(name(), Map.of("steps", List.of(Map.of("weight", 50), Map.of("weight", 25)))),
            app(name(), Map.of("steps", List.of(Map.of("weight", 100, "gate", "sometimes")))),
            app(name(), Map.of("onNewBuild", "ignore")));
    for (Map<String, Object> body : bad) {
      register(body).statusCode(400).contentType(PROBLEM);
      given()
          .header("Authorization", VIEWER)
          .get("/apps")
          .then()
          .statusCode(200)
          .body("name", not(hasItem(body.get("name"))));
    }
  }

  @Test
  void shouldNameEveryProblemOfAnInvalidPolicy() {
    register(
            app(
                name(),
                Map.of(
                    "listenPort",
                    5,
                    "steps",
                    List.of(Map.of("weight", 50), Map.of("weight", 60, "gate", "pause")))))
        .statusCode(400)
        .body("detail", containsString("listenPort must be between 1024 and 65535, was 5"))
        .body("detail", containsString("step 1: a pause gate needs seconds"));
  }

  @Test
  void shouldRefuseUnknownFieldsAndMalformedBodies() {
    Map<String, Object> typo = new HashMap<>(app(name(), Map.of()));
    typo.put("stepDeadlineSecs", 30);
    register(typo).statusCode(400).contentType(PROBLEM);
    given()
        .header("Authorization", OPERATOR)
        .contentType(ContentType.JSON)
        .body("{\"name\": ")
        .post("/apps")
        .then()
        .statusCode(400)
        .contentType(PROBLEM);
    given()
        .header("Authorization", OPERATOR)
        .contentType(ContentType.JSON)
        .body("{\"name\":\"" + "a".repeat(70_000) + "\"}")
        .post("/apps")
        .then()
        .statusCode(413);
  }

  @Test
  void shouldRefuseASecondAppOfTheSameNameOrRepositoryAndBranch() {
    String name = name();
    register(app(name, Map.of())).statusCode(201);
    register(app(name, Map.of("repo", "github.com/acme/other-" + name)))
        .statusCode(409)
        .body("reason", equalTo("AppExists"));
    register(app(name(), Map.of("repo", "github.com/acme/" + name)))
        .statusCode(409)
        .body("detail", containsString("already feeds another app"));
  }

  @Test
  void shouldRefuseAListenPortAnotherAppTakesItsTrafficOnAndNameThatApp() {
    String holder = name();
    int port = PORTS.getAndIncrement();
    register(app(holder, Map.of("listenPort", port))).statusCode(201);
    String other = name();

    register(app(other, Map.of("listenPort", port)))
        .statusCode(409)
        .contentType(PROBLEM)
        .body("reason", equalTo("ListenPortTaken"))
        .body("detail", containsString("listenPort " + port + " is taken by app " + holder));
    register(app(other, Map.of("listenPort", port, "router", "nginx"))).statusCode(409);
    given().header("Authorization", VIEWER).get("/apps").then().body("name", not(hasItem(other)));

    Map<String, Object> moved = app(other, Map.of());
    register(moved).statusCode(201);
    moved.put("listenPort", port);
    given()
        .header("Authorization", OPERATOR)
        .contentType(ContentType.JSON)
        .body(moved)
        .put("/apps/" + other)
        .then()
        .statusCode(409)
        .body("reason", equalTo("ListenPortTaken"))
        .body("detail", containsString(holder));
    // an app keeps its own port when its policy changes
    Map<String, Object> same = new HashMap<>(app(holder, Map.of("listenPort", port)));
    same.put("onNewBuild", "replace");
    given()
        .header("Authorization", OPERATOR)
        .contentType(ContentType.JSON)
        .body(same)
        .put("/apps/" + holder)
        .then()
        .statusCode(200)
        .body("listenPort", equalTo(port));
  }

  @Test
  void shouldRefuseTheServicesOwnHttpPortAsAListenPort() {
    int own = RestAssured.port;
    String name = name();

    register(app(name, Map.of("listenPort", own)))
        .statusCode(400)
        .contentType(PROBLEM)
        .body("detail", containsString("listenPort " + own + " is rollout-service's own"))
        .body("detail", containsString("HTTP port"));
    given().header("Authorization", VIEWER).get("/apps/" + name).then().statusCode(404);
  }

  @Test
  void shouldNeedTheOperatorTokenToRegisterAndRollBack() {
    given()
        .contentType(ContentType.JSON)
        .body(app(name(), Map.of()))
        .post("/apps")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", VIEWER)
        .contentType(ContentType.JSON)
        .body(app(name(), Map.of()))
        .post("/apps")
        .then()
        .statusCode(403);
    String name = name();
    register(app(name, Map.of())).statusCode(201);
    given()
        .header("Authorization", VIEWER)
        .post("/apps/" + name + "/rollback")
        .then()
        .statusCode(403);
  }

  @Test
  void shouldUpdateThePolicyButNotTheName() {
    String name = name();
    register(app(name, Map.of())).statusCode(201);
    Map<String, Object> changed = new HashMap<>(app(name, Map.of()));
    changed.put("steps", List.of(Map.of("weight", 20, "gate", "manual"), Map.of("weight", 100)));
    changed.put("onNewBuild", "replace");
    given()
        .header("Authorization", OPERATOR)
        .contentType(ContentType.JSON)
        .body(changed)
        .put("/apps/" + name)
        .then()
        .statusCode(200)
        .body("steps.weight", contains(20, 100))
        .body("onNewBuild", equalTo("replace"));
    given()
        .header("Authorization", OPERATOR)
        .contentType(ContentType.JSON)
        .body(changed)
        .put("/apps/" + name())
        .then()
        .statusCode(400)
        .body("detail", containsString("differs from the path"));
  }

  @Test
  void shouldRefuseARollbackWithNothingToGoBackTo() {
    String name = name();
    register(app(name, Map.of())).statusCode(201);
    given()
        .header("Authorization", OPERATOR)
        .post("/apps/" + name + "/rollback")
        .then()
        .statusCode(409)
        .body("reason", equalTo("NothingToRollBack"));
    given()
        .header("Authorization", OPERATOR)
        .post("/apps/no-such-app/rollback")
        .then()
        .statusCode(404);
  }

  private static ValidatableResponse register(Map<String, Object> body) {
    return given()
        .header("Authorization", OPERATOR)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/apps")
        .then();
  }

  /** Below the ephemeral range the flow tests' free ports come from; one per app. */
  private static final AtomicInteger PORTS = new AtomicInteger(20_000);

  private static Map<String, Object> app(String name, Map<String, Object> overrides) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("repo", "github.com/acme/" + name.replaceAll("[^a-z0-9-]", "x"));
    body.put("listenPort", PORTS.getAndIncrement());
    body.putAll(overrides);
    return body;
  }

  private static String name() {
    return "app-" + UUID.randomUUID().toString().substring(0, 8);
  }
}

package dev.gantry.rollout.api;

import static dev.gantry.rollout.domain.RolloutSpecBuilder.aSpec;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.gantry.edge.Problems;
import dev.gantry.rollout.domain.Reasons;
import dev.gantry.rollout.domain.Request;
import dev.gantry.rollout.domain.RequestResult;
import dev.gantry.rollout.domain.RolloutSpec;
import dev.gantry.rollout.domain.Step;
import dev.gantry.rollout.persistence.RolloutStore;
import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
// the kubernetes router's API server (fabric8 mock, CRUD mode) as a global resource, as
// monitor-service
// does: @WithKubernetesTestServer would restrict it to one class and restart Quarkus for it
@QuarkusTestResource(KubernetesServerTestResource.class)
class RolloutResourceTest {

  private static final String OPERATOR = "Bearer test-operator-token-0123456789";
  private static final String VIEWER = "Bearer test-viewer-token-0123456789";
  private static final String PROBLEM = Problems.PROBLEM_JSON;

  @Inject RolloutStore store;

  @Test
  void shouldShowARolloutWithItsSpecVersionsStepAndHistory() {
    String app = app();
    UUID id = started(app);

    given()
        .header("Authorization", VIEWER)
        .get("/rollouts/" + id)
        .then()
        .statusCode(200)
        .body("id", equalTo(id.toString()))
        .body("app", equalTo(app))
        .body("phase", equalTo("PROGRESSING"))
        .body("versions.canary", equalTo("v1.1.0"))
        .body("versions.stable", equalTo("v1.0.0"))
        .body("buildId", startsWith("b-42-" + app + "-"))
        .body("commit", equalTo("0123456789abcdef0123456789abcdef01234567"))
        .body("spec.steps.weight", contains(5, 25, 50, 100))
        .body("spec.steps.gate.type", contains("analysis", "manual", "pause", "analysis"))
        .body("spec.steps[2].gate.seconds", equalTo(600))
        .body("spec.stepDeadlineSeconds", equalTo(300))
        .body("step", equalTo(0))
        .body("canaryWeight", equalTo(5))
        .body("stableWeight", equalTo(95))
        // no router has applied the step yet: its gate's deadline has not started
        .body("stepDeadline", nullValue())
        .body("appliedStep", nullValue())
        .body("history.to", contains("PROGRESSING"))
        .body("history[0].reason", equalTo(Reasons.ROLLOUT_STARTED))
        .body("createdAt", notNullValue());

    Instant applied = Instant.now();
    Assertions.assertThat(store.markApplied(id, 0, 5, applied)).isTrue();
    store.reconcile(id, applied);

    given()
        .header("Authorization", VIEWER)
        .get("/rollouts/" + id)
        .then()
        .statusCode(200)
        .body("appliedStep", equalTo(0))
        .body("appliedAt", notNullValue())
        .body("stepDeadline", notNullValue());
  }

  @Test
  void shouldListNewestFirstFilteredByAppPhaseAndLimit() {
    String app = app();
    UUID older = started(app);
    accepted(store.submit(older, new Request.Abort(), Instant.now()));
    store.reconcile(older, Instant.now());
    UUID newer = started(app);

    given()
        .header("Authorization", VIEWER)
        .queryParam("app", app)
        .get("/rollouts")
        .then()
        .statusCode(200)
        .body("id", contains(newer.toString(), older.toString()))
        .body("[0].history", nullValue());
    given()
        .header("Authorization", OPERATOR)
        .queryParam("app", app)
        .queryParam("phase", "aborted")
        .get("/rollouts")
        .then()
        .statusCode(200)
        .body("id", contains(older.toString()))
        .body("[0].phase", equalTo("ABORTED"));
    given()
        .header("Authorization", VIEWER)
        .queryParam("app", app)
        .queryParam("limit", 1)
        .get("/rollouts")
        .then()
        .statusCode(200)
        .body("id", contains(newer.toString()));
    given()
        .header("Authorization", VIEWER)
        .get("/rollouts")
        .then()
        .statusCode(200)
        .body("id", hasItem(newer.toString()));
    given()
        .header("Authorization", VIEWER)
        .queryParam("phase", "sideways")
        .get("/rollouts")
        .then()
        .statusCode(400)
        .contentType(PROBLEM);
    given()
        .header("Authorization", VIEWER)
        .queryParam("limit", 0)
        .get("/rollouts")
        .then()
        .statusCode(400)
        .contentType(PROBLEM);
  }

  @Test
  void shouldMoveToTheNextStepWhenPromotedAndTo100WhenPromotedFully() {
    UUID id = started(app());

    write(id, "promote")
        .statusCode(200)
        .body("phase", equalTo("PAUSED"))
        .body("step", equalTo(1))
        .body("canaryWeight", equalTo(25))
        .body("conditions.reason", hasItem(Reasons.AWAITING_MANUAL_PROMOTE));
    write(id, "promote")
        .statusCode(200)
        .body("phase", equalTo("PROGRESSING"))
        .body("step", equalTo(2))
        .body("canaryWeight", equalTo(50));

    given()
        .header("Authorization", OPERATOR)
        .queryParam("full", true)
        .post("/rollouts/" + id + "/promote")
        .then()
        .statusCode(200)
        .body("phase", equalTo("PROMOTED"))
        .body("outcome", equalTo("PROMOTED"))
        .body("canaryWeight", equalTo(100))
        .body("stableWeight", equalTo(0))
        .body("history.reason", hasItem(Reasons.MANUAL_PROMOTE_FULL));
    Assertions.assertThat(store.load(id).orElseThrow().status().canaryWeight()).isEqualTo(100);
  }

  @Test
  void shouldPauseAndResume() {
    UUID id = started(app());

    write(id, "pause")
        .statusCode(200)
        .body("phase", equalTo("PAUSED"))
        .body("canaryWeight", equalTo(5))
        .body("conditions.reason", hasItem(Reasons.MANUAL_PAUSE));
    write(id, "resume")
        .statusCode(200)
        .body("phase", equalTo("PROGRESSING"))
        .body("step", equalTo(0))
        .body("canaryWeight", equalTo(5))
        .body("history.to", contains("PROGRESSING", "PAUSED", "PROGRESSING"));
    write(id, "resume")
        .statusCode(409)
        .contentType(PROBLEM)
        .body("status", equalTo(409))
        .body("reason", equalTo(Reasons.ILLEGAL_TRANSITION))
        .body("detail", containsString("not paused"));
  }

  @Test
  void shouldAbortOnceAndRefuseASecondAbort() {
    UUID id = started(app());

    write(id, "abort")
        .statusCode(200)
        .body("phase", equalTo("ABORTED"))
        .body("outcome", equalTo("ABORTED"))
        .body("canaryWeight", equalTo(0))
        .body("history.reason", hasItem(Reasons.MANUAL_ABORT));
    long version = store.load(id).orElseThrow().lockVersion();

    write(id, "abort")
        .statusCode(409)
        .contentType(PROBLEM)
        .body("title", equalTo("Conflict"))
        .body("reason", equalTo(Reasons.ILLEGAL_TRANSITION))
        .body("detail", containsString("ended"));
    write(id, "promote").statusCode(409).contentType(PROBLEM);
    Assertions.assertThat(store.load(id).orElseThrow().lockVersion()).isEqualTo(version);
  }

  @Test
  void shouldRequireATokenForReadsAndTheOperatorTokenForWrites() {
    UUID id = started(app());

    given().get("/rollouts").then().statusCode(401).contentType(PROBLEM);
    given().get("/rollouts/" + id).then().statusCode(401).contentType(PROBLEM);
    given()
        .header("Authorization", "Bearer wrong-token")
        .get("/rollouts/" + id)
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"));
    given().post("/rollouts/" + id + "/abort").then().statusCode(401).contentType(PROBLEM);
    given()
        .header("Authorization", "Bearer " + "test-operator-token-012345678")
        .post("/rollouts/" + id + "/abort")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", VIEWER)
        .post("/rollouts/" + id + "/abort")
        .then()
        .statusCode(403)
        .contentType(PROBLEM)
        .body(not(containsString("test-viewer-token")));

    given()
        .header("Authorization", VIEWER)
        .get("/rollouts/" + id)
        .then()
        .statusCode(200)
        .body("phase", equalTo("PROGRESSING"));
  }

  @Test
  void shouldAnswer404ForAnUnknownOrMalformedId() {
    UUID unknown = UUID.randomUUID();

    given()
        .header("Authorization", VIEWER)
        .get("/rollouts/" + unknown)
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("status", equalTo(404));
    write(unknown, "promote").statusCode(404).contentType(PROBLEM);
    write(unknown, "abort").statusCode(404).contentType(PROBLEM);
    given()
        .header("Authorization", VIEWER)
        .get("/rollouts/not-a-uuid")
        .then()
        .statusCode(404)
        .contentType(PROBLEM);
    given()
        .header("Authorization", OPERATOR)
        .post("/rollouts/not-a-uuid/pause")
        .then()
        .statusCode(404)
        .contentType(PROBLEM);
    given()
        .header("Authorization", VIEWER)
        .queryParam("app", "app-" + unknown)
        .get("/rollouts")
        .then()
        .statusCode(200)
        .body("$", hasSize(0));
  }

  /** Started: step 0 at 5 %, waiting for analysis; then a manual gate, a pause, analysis. */
  private UUID started(String app) {
    RolloutSpec spec =
        aSpec()
            .withApp(app)
            .withCanaryBuildId("b-42-" + app + "-" + UUID.randomUUID())
            .withSteps(Step.analysis(5), Step.manual(25), Step.pause(50, 600), Step.analysis(100))
            .build();
    Instant now = Instant.now();
    UUID id = store.create(spec, now).id();
    store.reconcile(id, now);
    return id;
  }

  private static ValidatableResponse write(UUID id, String action) {
    return given().header("Authorization", OPERATOR).post("/rollouts/" + id + "/" + action).then();
  }

  private static void accepted(RequestResult result) {
    Assertions.assertThat(result).isInstanceOf(RequestResult.Accepted.class);
  }

  private static String app() {
    return "app-" + UUID.randomUUID();
  }
}

package dev.gantry.rollout.flow;

import static dev.gantry.rollout.flow.Releases.get;
import static dev.gantry.rollout.flow.Releases.publishBuild;
import static dev.gantry.rollout.flow.Releases.publishRollbackRequest;
import static dev.gantry.rollout.flow.Releases.publishVerdict;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutPaused;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStarted;
import dev.gantry.events.rollout.RolloutStepCompleted;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import io.restassured.response.ValidatableResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rollouts as the pipeline drives them: BuildSucceeded on build.events, verdicts on
 * analysis.verdicts, rollout.events out, with the local router running two real Go binaries behind
 * its proxy.
 */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
// the kubernetes router's API server (fabric8 mock, CRUD mode) as a global resource, as
// monitor-service
// does: @WithKubernetesTestServer would restrict it to one class and restart Quarkus for it
@QuarkusTestResource(KubernetesServerTestResource.class)
class RolloutFlowTest {
  static final String OPERATOR = "Bearer test-operator-token-0123456789";
  private static final Duration EVENT_WAIT = Duration.ofSeconds(60);

  @Test
  void shouldDeployFirstStraightTo100ThenWalkACanaryThroughEveryStepOnPassVerdicts()
      throws Exception {
    FlowApp app = FlowApp.register("local");
    RolloutStepStarted step0 = app.canaryAtFirstStep("v1", "v2");
    assertThat(step0.weight()).isEqualTo(5);
    assertThat(step0.canary().version()).isEqualTo("v2");
    assertThat(step0.stable().version()).isEqualTo("v1");
    assertThat(step0.canaryTarget().version()).isEqualTo("v2");
    assertThat(step0.stableTarget().version()).isEqualTo("v1");
    // the targets are where the versions really serve, for monitor-service to scrape
    assertThat(Releases.get(port(step0.canaryTarget().baseUrl()))).isEqualTo("v2");
    assertThat(Releases.get(port(step0.stableTarget().baseUrl()))).isEqualTo("v1");
    assertThat(step0.canaryTarget().pprofUrl()).endsWith("/debug/pprof");
    String rolloutId = step0.rolloutId();

    String pass = publishVerdict(rolloutId, app.name(), 0, Verdict.PASS);
    assertThat(app.awaitStep(1).weight()).isEqualTo(25);
    RolloutStepCompleted passed =
        app.await(RolloutStepCompleted.class, e -> e.rolloutId().equals(rolloutId));
    assertThat(passed.gate()).isEqualTo("analysis");
    assertThat(passed.verdictId()).as("the PASS that let step 0 pass").isEqualTo(pass);
    Map<String, Integer> served = app.traffic(2_000);
    assertThat(served.getOrDefault("v2", 0)).isBetween(440, 560); // 25 ± 3 %
    assertThat(served.getOrDefault("v1", 0) + served.getOrDefault("v2", 0)).isEqualTo(2_000);

    publishVerdict(rolloutId, app.name(), 1, Verdict.PASS);
    assertThat(app.awaitStep(2).weight()).isEqualTo(50);
    publishVerdict(rolloutId, app.name(), 2, Verdict.PASS);
    assertThat(app.awaitStep(3).weight()).isEqualTo(100);
    long stablePid = pid(app, "v1");
    assertThat(ProcessHandle.of(stablePid)).isPresent();
    publishVerdict(rolloutId, app.name(), 3, Verdict.PASS);

    RolloutPromoted promoted =
        app.await(RolloutPromoted.class, e -> e.rolloutId().equals(rolloutId));
    assertThat(promoted.canary().version()).isEqualTo("v2");
    assertThat(promoted.full()).isFalse();
    assertThat(app.events(RolloutStepCompleted.class)).hasSize(4 + 1); // first deploy's one step
    assertThat(app.traffic(50)).containsOnlyKeys("v2");
    assertThat(app.currentLink()).isEqualTo("v2");
    given()
        .header("Authorization", OPERATOR)
        .get("/apps/" + app.name())
        .then()
        .statusCode(200)
        .body("current.version", equalTo("v2"))
        .body("previous.version", equalTo("v1"))
        .body("activeRollout", nullValue())
        .body("canaryTarget", nullValue())
        .body("stableTarget.version", equalTo("v2"));
    given()
        .header("Authorization", OPERATOR)
        .get("/rollouts/" + rolloutId)
        .then()
        .statusCode(200)
        .body("phase", equalTo("PROMOTED"))
        // every step in the history, with the weight it set and what moved the rollout there
        .body("history.findAll { it.step != null }.step", contains(0, 1, 2, 3))
        .body("history.findAll { it.step != null }.weight", contains(5, 25, 50, 100))
        .body(
            "history.findAll { it.step != null }.reason",
            contains("RolloutStarted", "AnalysisPassed", "AnalysisPassed", "AnalysisPassed"))
        .body("history.findAll { it.step != null }.at", everyItem(notNullValue()));
    await("the old stable version stops")
        .atMost(Duration.ofSeconds(15))
        .until(() -> ProcessHandle.of(stablePid).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void shouldRollBackAtOnceOnAFailVerdict() throws Exception {
    FlowApp app = FlowApp.register("local");
    RolloutStepStarted step0 = app.canaryAtFirstStep("v1", "v2");

    Instant sent = Instant.now();
    String fail = publishVerdict(step0.rolloutId(), app.name(), 0, Verdict.FAIL);

    RolloutRolledBack rolledBack =
        app.await(RolloutRolledBack.class, e -> e.rolloutId().equals(step0.rolloutId()));
    assertThat(rolledBack.reason()).isEqualTo("AnalysisFailed");
    assertThat(rolledBack.causeId()).as("the FAIL verdict's event id").isEqualTo(fail);
    // when the verdict arrived, and when stable served all traffic again
    assertThat(rolledBack.requestedAt()).isAfterOrEqualTo(sent);
    assertThat(rolledBack.rolledBackAt()).isAfter(rolledBack.requestedAt());
    assertThat(rolledBack.message()).contains("goroutines fail in the test");
    assertThat(rolledBack.canary().version()).isEqualTo("v2");
    assertThat(app.traffic(100)).containsOnlyKeys("v1");
    assertThat(app.currentLink()).isEqualTo("v1");
    given()
        .header("Authorization", OPERATOR)
        .get("/rollouts/" + step0.rolloutId())
        .then()
        .body("phase", equalTo("ROLLED_BACK"))
        .body("canaryWeight", equalTo(0));
    await("the canary stops")
        .atMost(Duration.ofSeconds(15))
        .until(() -> Releases.get(port(step0.canaryTarget().baseUrl())).startsWith("unreachable"));
  }

  @Test
  void shouldRollBackWhenTheMonitorAsksEvenWithoutAVerdict() {
    FlowApp app = FlowApp.register("local");
    RolloutStepStarted step0 = app.canaryAtFirstStep("v1", "v2");

    String asked =
        publishRollbackRequest(step0.rolloutId(), app.name(), "5xx ratio 0.31 on canary vs 0.00");

    RolloutRolledBack rolledBack =
        app.await(RolloutRolledBack.class, e -> e.rolloutId().equals(step0.rolloutId()));
    assertThat(rolledBack.message()).isEqualTo("5xx ratio 0.31 on canary vs 0.00");
    assertThat(rolledBack.reason()).isEqualTo("RollbackRequested");
    assertThat(rolledBack.causeId()).isEqualTo(asked);
    assertThat(rolledBack.rolledBackAt()).isAfter(rolledBack.requestedAt());
    assertThat(app.traffic(100)).containsOnlyKeys("v1");
  }

  @Test
  void shouldPauseOnAnInconclusiveVerdictAndKeepTheSplit() {
    FlowApp app = FlowApp.register("local");
    RolloutStepStarted step0 = app.canaryAtFirstStep("v1", "v2");

    publishVerdict(step0.rolloutId(), app.name(), 0, Verdict.INCONCLUSIVE);

    RolloutPaused paused =
        app.await(RolloutPaused.class, e -> e.rolloutId().equals(step0.rolloutId()));
    assertThat(paused.reason()).isEqualTo("AnalysisInconclusive");
    assertThat(paused.weight()).isEqualTo(5);
    Map<String, Integer> served = app.traffic(200);
    assertThat(served.get("v2")).isEqualTo(10);
    given()
        .header("Authorization", OPERATOR)
        .get("/rollouts/" + step0.rolloutId())
        .then()
        .body("phase", equalTo("PAUSED"));
  }

  @Test
  void shouldRollAnAppBackToThePreviousReleaseOnceAndThenRefuse() throws Exception {
    FlowApp app = FlowApp.register("local");
    String rolloutId = app.canaryAtFirstStep("v1", "v2").rolloutId();
    given()
        .header("Authorization", OPERATOR)
        .post("/rollouts/" + rolloutId + "/promote?full=true")
        .then()
        .statusCode(200)
        .body("phase", equalTo("PROMOTED"));
    assertThat(app.traffic(20)).containsOnlyKeys("v2");

    rollBack(app)
        .statusCode(200)
        .body("current.version", equalTo("v1"))
        .body("previous", nullValue());

    assertThat(app.traffic(20)).containsOnlyKeys("v1");
    assertThat(app.currentLink()).isEqualTo("v1");
    RolloutRolledBack event =
        app.await(RolloutRolledBack.class, e -> e.rolloutId().equals(rolloutId));
    assertThat(event.canary().version()).isEqualTo("v2");
    assertThat(event.stable().version()).isEqualTo("v1");
    assertThat(event.reason()).isEqualTo("ManualRollback");
    assertThat(event.causeId()).isNull();
    assertThat(event.rolledBackAt()).isAfter(event.requestedAt());
    rollBack(app).statusCode(409).body("reason", equalTo("NothingToRollBack"));
  }

  @Test
  void shouldRollTheRunningRolloutBackWhenAnOperatorRollsTheAppBack() throws Exception {
    FlowApp app = FlowApp.register("local");
    RolloutStepStarted step0 = app.canaryAtFirstStep("v1", "v2");
    publishVerdict(step0.rolloutId(), app.name(), 0, Verdict.PASS);
    assertThat(app.awaitStep(1).weight()).isEqualTo(25);
    int canaryPort = port(step0.canaryTarget().baseUrl());

    rollBack(app)
        .statusCode(200)
        .body("current.version", equalTo("v1"))
        .body("activeRollout", nullValue())
        .body("canaryTarget", nullValue());

    // carried out before the answer: nothing reaches the canary any more
    assertThat(app.traffic(100)).containsOnlyKeys("v1");
    assertThat(app.currentLink()).isEqualTo("v1");
    RolloutRolledBack rolledBack =
        app.await(RolloutRolledBack.class, e -> e.rolloutId().equals(step0.rolloutId()));
    assertThat(rolledBack.reason()).isEqualTo("ManualRollback");
    assertThat(rolledBack.message()).contains("operator");
    assertThat(rolledBack.step()).isEqualTo(1);
    assertThat(rolledBack.canary().version()).isEqualTo("v2");
    given()
        .header("Authorization", OPERATOR)
        .get("/rollouts/" + step0.rolloutId())
        .then()
        .body("phase", equalTo("ROLLED_BACK"))
        .body("canaryWeight", equalTo(0))
        .body("conditions.find { it.type == 'COMPLETED' }.reason", equalTo("ManualRollback"));
    await("the canary stops")
        .atMost(Duration.ofSeconds(15))
        .until(() -> get(canaryPort).startsWith("unreachable"));
    // v1 came first and nothing was promoted since: there is nothing before it to go back to
    rollBack(app).statusCode(409).body("reason", equalTo("NothingToRollBack"));
  }

  @Test
  void shouldStartABuildOnlyOnceHoweverOftenItIsDelivered() {
    FlowApp app = FlowApp.register("local");
    var build = Releases.built(app.name(), "v1");
    publishBuild(build);
    publishBuild(build);
    app.await(RolloutPromoted.class, e -> e.canary().version().equals("v1"));
    // the third delivery itself has been consumed (the offset past it is committed only after
    // its effect, if any, is stored): nothing may have followed from it
    Consumed.build(build);

    assertThat(app.events(RolloutStarted.class))
        .extracting(e -> e.canary().buildId())
        .containsExactly(build.buildId());
    assertThat(activeRollout(app)).isNull();
  }

  @Test
  void shouldStartAQueuedBuildWhenTheRunningRolloutEnds() {
    FlowApp app = FlowApp.register("local");
    RolloutStepStarted v2 = app.canaryAtFirstStep("v1", "v2");
    publishBuild(Releases.built(app.name(), "v3"));
    // the build is consumed from Kafka, not handed over synchronously: wait until it is queued
    await("v3 queued behind the running rollout")
        .atMost(EVENT_WAIT)
        .untilAsserted(
            () ->
                given()
                    .header("Authorization", OPERATOR)
                    .get("/apps/" + app.name())
                    .then()
                    .body("queued.version", equalTo("v3"))
                    .body("activeRollout.canaryVersion", equalTo("v2")));

    publishVerdict(v2.rolloutId(), app.name(), 0, Verdict.FAIL);

    RolloutStepStarted v3 =
        app.await(RolloutStepStarted.class, e -> e.canary().version().equals("v3"));
    assertThat(v3.stable().version()).isEqualTo("v1");
    assertThat(app.traffic(100)).containsEntry("v3", 5).containsEntry("v1", 95);
  }

  @Test
  void shouldAbortTheRunningRolloutForANewerBuildWhenThePolicySaysReplace() {
    FlowApp app = FlowApp.register("local");
    given()
        .header("Authorization", OPERATOR)
        .contentType(io.restassured.http.ContentType.JSON)
        .body(
            Map.of(
                "repo", Releases.repo(app.name()),
                "listenPort", app.port(),
                "onNewBuild", "replace"))
        .put("/apps/" + app.name())
        .then()
        .statusCode(200);
    RolloutStepStarted v2 = app.canaryAtFirstStep("v1", "v2");

    publishBuild(Releases.built(app.name(), "v3"));

    RolloutAborted aborted =
        app.await(RolloutAborted.class, e -> e.rolloutId().equals(v2.rolloutId()));
    assertThat(aborted.canary().version()).isEqualTo("v2");
    // not an operator's abort: a newer build took its place
    assertThat(aborted.reason()).isEqualTo("SupersededByNewerBuild");
    assertThat(aborted.message()).contains("v3").doesNotContain("operator");
    RolloutStepStarted v3 =
        app.await(RolloutStepStarted.class, e -> e.canary().version().equals("v3"));
    assertThat(v3.stable().version()).isEqualTo("v1");
    assertThat(app.traffic(100)).containsOnlyKeys("v1", "v3");
  }

  @Test
  void shouldNeverLetAnOlderBuildDeliveredLateTakeANewerOnesPlaceWhenThePolicySaysQueue() {
    FlowApp app = FlowApp.register("local");
    Instant base = Instant.now();
    app.deployFirst("v1");
    // built before v1 and delivered after it was rolled out: it must not start
    Consumed.build(Releases.built(app.name(), "v0", base.minusSeconds(60)));
    assertThat(activeRollout(app)).isNull();

    RolloutStepStarted v2 = app.canaryAtFirstStep(null, "v2");
    // v2 was built moments after base; v3 after it and v4 after v3, but v4 is delivered first
    Consumed.build(Releases.built(app.name(), "v4", base.plusSeconds(120)));
    Consumed.build(Releases.built(app.name(), "v3", base.plusSeconds(60)));
    given()
        .header("Authorization", OPERATOR)
        .get("/apps/" + app.name())
        .then()
        .body("queued.version", equalTo("v4"))
        .body("activeRollout.canaryVersion", equalTo("v2"));

    publishVerdict(v2.rolloutId(), app.name(), 0, Verdict.FAIL);

    RolloutStepStarted v4 =
        app.await(RolloutStepStarted.class, e -> e.canary().version().equals("v4"));
    assertThat(v4.stable().version()).isEqualTo("v1");
    assertThat(app.events(RolloutStarted.class))
        .extracting(e -> e.canary().version())
        .containsExactly("v1", "v2", "v4");
  }

  @Test
  void shouldNotAbortARolloutOfANewerBuildForAnOlderOneDeliveredLateWhenThePolicySaysReplace() {
    FlowApp app = FlowApp.register("local");
    replaceRunningRollouts(app);
    app.deployFirst("v1");
    Instant betweenV1AndV3 = Instant.now();
    RolloutStepStarted v3 = app.canaryAtFirstStep(null, "v3");

    Consumed.build(Releases.built(app.name(), "v2", betweenV1AndV3));

    given()
        .header("Authorization", OPERATOR)
        .get("/rollouts/" + v3.rolloutId())
        .then()
        .body("phase", equalTo("PROGRESSING"))
        .body("canaryWeight", equalTo(5));
    given()
        .header("Authorization", OPERATOR)
        .get("/apps/" + app.name())
        .then()
        .body("queued", nullValue())
        .body("activeRollout.canaryVersion", equalTo("v3"));
    assertThat(app.events(RolloutAborted.class)).isEmpty();
    assertThat(app.traffic(100)).containsEntry("v3", 5).containsEntry("v1", 95);
  }

  @Test
  void shouldStartAVersionAgainWhenItsProcessDies() throws Exception {
    FlowApp app = FlowApp.register("local");
    app.deployFirst("v1");
    long pid = pid(app, "v1");

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    await("v1 serves again from a new process")
        .atMost(Duration.ofSeconds(20))
        .until(() -> pid(app, "v1") != pid && pid(app, "v1") > 0 && get(app.port()).equals("v1"));
    assertThat(app.traffic(20)).containsOnlyKeys("v1");
  }

  @Test
  void shouldRestartACrashedCanaryOnItsAnnouncedTargetAndReportTheRestart() throws Exception {
    FlowApp app = FlowApp.register("local");
    RolloutStepStarted step0 = app.canaryAtFirstStep("v1", "v2");
    int announced = port(step0.canaryTarget().baseUrl());
    long pid = pid(app, "v2");

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    await("v2 serves again from a new process")
        .atMost(Duration.ofSeconds(20))
        .until(() -> pid(app, "v2") != pid && pid(app, "v2") > 0);
    // monitor-service keeps scraping the target it was told about
    assertThat(get(announced)).isEqualTo("v2");
    assertThat(app.traffic(100)).containsEntry("v2", 5).containsEntry("v1", 95);
    given()
        .header("Authorization", OPERATOR)
        .get("/apps/" + app.name())
        .then()
        .statusCode(200)
        .body("childRestarts.size()", equalTo(1))
        .body("childRestarts[0].version", equalTo("v2"))
        .body("childRestarts[0].count", equalTo(1))
        .body("childRestarts[0].port", equalTo(announced))
        .body("childRestarts[0].samePort", equalTo(true))
        .body("canaryTarget.baseUrl", equalTo(step0.canaryTarget().baseUrl()));
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            org.hamcrest.Matchers.containsString(
                "gantry_rollout_child_restarts_total{app=\""
                    + app.name()
                    + "\",same_port=\"true\"} 1.0"));
  }

  @Test
  void shouldRollACanaryBackWhoseHealthCheckNeverPassesAndNeverGiveIt100Percent() {
    FlowApp app = FlowApp.register("local");
    app.deployFirst("v1");

    publishBuild(Releases.builtBroken(app.name(), "v2", BrokenSample.Mode.UNHEALTHY));

    RolloutRolledBack rolledBack =
        app.await(RolloutRolledBack.class, e -> e.canary().version().equals("v2"));
    assertThat(rolledBack.reason()).isEqualTo("CanaryUnhealthy");
    assertThat(rolledBack.message()).contains("not healthy at /healthz").contains("HTTP 500");
    assertThat(app.traffic(50)).containsOnlyKeys("v1");
    given()
        .header("Authorization", OPERATOR)
        .get("/rollouts/" + rolledBack.rolloutId())
        .then()
        .body("phase", equalTo("ROLLED_BACK"))
        .body("canaryWeight", equalTo(0))
        .body("conditions.find { it.type == 'COMPLETED' }.reason", equalTo("CanaryUnhealthy"));
    given()
        .header("Authorization", OPERATOR)
        .get("/apps/" + app.name())
        .then()
        .body("current.version", equalTo("v1"))
        .body("activeRollout", nullValue());
    assertThat(app.events(RolloutStepStarted.class))
        .filteredOn(e -> e.canary().version().equals("v2"))
        .extracting(RolloutStepStarted::weight)
        .doesNotContain(100);
  }

  @Test
  void shouldNeverPromoteAFirstDeployThatExitsAtOnce() {
    FlowApp app = FlowApp.register("local");

    publishBuild(Releases.builtBroken(app.name(), "v1", BrokenSample.Mode.EXIT));

    RolloutRolledBack rolledBack =
        app.await(RolloutRolledBack.class, e -> e.canary().version().equals("v1"));
    assertThat(rolledBack.reason()).isEqualTo("CanaryUnhealthy");
    assertThat(rolledBack.message()).contains("exited before it was healthy");
    assertThat(app.events(RolloutPromoted.class)).isEmpty();
    given()
        .header("Authorization", OPERATOR)
        .get("/apps/" + app.name())
        .then()
        .body("current", nullValue())
        .body("activeRollout", nullValue());
    assertThat(get(app.port())).matches("HTTP 503|unreachable.*");
  }

  @Test
  void shouldPauseWhenNoVerdictArrivesByTheStepDeadlineAndNeverPromote() {
    FlowApp app = FlowApp.register("local");
    given()
        .header("Authorization", OPERATOR)
        .contentType(io.restassured.http.ContentType.JSON)
        .body(
            Map.of(
                "repo", Releases.repo(app.name()),
                "listenPort", app.port(),
                "stepDeadlineSeconds", 2))
        .put("/apps/" + app.name())
        .then()
        .statusCode(200);
    RolloutStepStarted step0 = app.canaryAtFirstStep("v1", "v2");

    RolloutPaused paused =
        app.await(RolloutPaused.class, e -> e.rolloutId().equals(step0.rolloutId()));

    assertThat(paused.reason()).isEqualTo("StepDeadlineExceeded");
    assertThat(paused.weight()).isEqualTo(5);
    assertThat(app.events(RolloutStepStarted.class))
        .extracting(RolloutStepStarted::step)
        .containsOnly(0);
    given()
        .header("Authorization", OPERATOR)
        .get("/rollouts/" + step0.rolloutId())
        .then()
        .body("phase", equalTo("PAUSED"))
        .body("canaryWeight", equalTo(5));
  }

  @Test
  void shouldRollAnotherAppBackInSecondsWhileOneAppsCanaryIsStillStarting() throws Exception {
    FlowApp b = FlowApp.register("local");
    RolloutStepStarted bAt5 = b.canaryAtFirstStep("v1", "v2");
    FlowApp a = FlowApp.register("local");
    a.deployFirst("v1");
    publishBuild(Releases.builtSlow(a.name(), "v2", SLOW_START));
    awaitStarting(a, "v2");

    long asked = System.nanoTime();
    publishRollbackRequest(bAt5.rolloutId(), b.name(), "5xx ratio 0.31 on canary vs 0.00");

    await("B's stable version serves all of B's traffic")
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> b.traffic(20).keySet().equals(java.util.Set.of("v1")));
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(5));
    assertThat(b.await(RolloutRolledBack.class, e -> e.rolloutId().equals(bAt5.rolloutId())))
        .isNotNull();
    // meanwhile A's canary has still not answered its health check, and A serves as before
    assertThat(a.<String>shown("activeRollout.canaryVersion")).isEqualTo("v2");
    given()
        .header("Authorization", OPERATOR)
        .get("/rollouts/" + a.<String>shown("activeRollout.id"))
        .then()
        .body("phase", equalTo("PROGRESSING"))
        .body("appliedStep", nullValue());
    assertThat(stepsOf(a, "v2")).isEmpty();
    assertThat(a.traffic(20)).containsOnlyKeys("v1");
  }

  @Test
  void shouldAbortACanaryThatIsStillStartingAtOnce() throws Exception {
    FlowApp a = FlowApp.register("local");
    a.deployFirst("v1");
    publishBuild(Releases.builtSlow(a.name(), "v2", SLOW_START));
    awaitStarting(a, "v2");
    String rolloutId = a.shown("activeRollout.id");

    long asked = System.nanoTime();
    given()
        .header("Authorization", OPERATOR)
        .post("/rollouts/" + rolloutId + "/abort")
        .then()
        .statusCode(200)
        .body("phase", equalTo("ABORTED"));

    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(3));
    assertThat(a.traffic(20)).containsOnlyKeys("v1");
    RolloutAborted aborted = a.await(RolloutAborted.class, e -> e.rolloutId().equals(rolloutId));
    assertThat(aborted.reason()).isEqualTo("ManualAbort");
    await("the canary that was starting is stopped")
        .atMost(Duration.ofSeconds(5))
        .until(() -> processesOf(a, "v2").isEmpty());
    assertThat(stepsOf(a, "v2")).isEmpty();
    given()
        .header("Authorization", OPERATOR)
        .get("/apps/" + a.name())
        .then()
        .body("current.version", equalTo("v1"))
        .body("activeRollout", nullValue())
        .body("canaryTarget", nullValue());
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** Longer than any of these tests waits, shorter than the test health timeout (15 s). */
  private static final Duration SLOW_START = Duration.ofSeconds(12);

  /** Until the app's rollout of {@code version} is stored and its process has been started. */
  private static void awaitStarting(FlowApp app, String version) {
    Path log = Path.of("target/test-children", app.name(), version + ".log");
    await(app.name() + " " + version + " starting")
        .atMost(EVENT_WAIT)
        .until(
            () ->
                version.equals(app.shown("activeRollout.canaryVersion"))
                    && Files.exists(log)
                    && !processesOf(app, version).isEmpty());
  }

  /** The processes that run the app's binary of {@code version}. */
  private static java.util.List<ProcessHandle> processesOf(FlowApp app, String version) {
    String binary = "artifacts/" + app.name() + "/" + version + "/linux_amd64/" + app.name();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith(binary)).orElse(false))
        .toList();
  }

  /** The steps announced for rollouts of {@code canaryVersion}. */
  private static java.util.List<RolloutStepStarted> stepsOf(FlowApp app, String canaryVersion) {
    return app.events(RolloutStepStarted.class).stream()
        .filter(e -> e.canary().version().equals(canaryVersion))
        .toList();
  }

  /** An operator's {@code POST /apps/{app}/rollback}, for the test to check its answer. */
  private static ValidatableResponse rollBack(FlowApp app) {
    return given()
        .header("Authorization", OPERATOR)
        .post("/apps/" + app.name() + "/rollback")
        .then();
  }

  private static Object activeRollout(FlowApp app) {
    return given()
        .header("Authorization", OPERATOR)
        .get("/apps/" + app.name())
        .then()
        .statusCode(200)
        .extract()
        .path("activeRollout");
  }

  private static void replaceRunningRollouts(FlowApp app) {
    given()
        .header("Authorization", OPERATOR)
        .contentType(io.restassured.http.ContentType.JSON)
        .body(
            Map.of(
                "repo", Releases.repo(app.name()),
                "listenPort", app.port(),
                "onNewBuild", "replace"))
        .put("/apps/" + app.name())
        .then()
        .statusCode(200);
  }

  private static int port(String baseUrl) {
    return Integer.parseInt(baseUrl.substring(baseUrl.lastIndexOf(':') + 1));
  }

  private static long pid(FlowApp app, String version) throws Exception {
    Path state = Path.of("target/test-children", app.name(), version + ".child");
    return Files.exists(state) ? Long.parseLong(Files.readString(state).split(" ")[0]) : -1;
  }
}

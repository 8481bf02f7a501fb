package dev.gantry.rollout.flow;

import static dev.gantry.rollout.flow.Releases.publishBuild;
import static dev.gantry.rollout.flow.Releases.publishVerdict;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStepCompleted;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.NginxFixture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same pipeline with the nginx router: a real nginx (the one {@code %test} configuration names,
 * under {@code target/test-nginx}) in front of the real Go binaries.
 */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
// the kubernetes router's API server (fabric8 mock, CRUD mode) as a global resource, as
// monitor-service
// does: @WithKubernetesTestServer would restrict it to one class and restart Quarkus for it
@QuarkusTestResource(KubernetesServerTestResource.class)
class NginxFlowTest {
  private static final Path PREFIX = Path.of("target/test-nginx");
  private static NginxFixture nginx;

  @BeforeAll
  static void startNginx() {
    nginx = NginxFixture.start(PREFIX);
  }

  @AfterAll
  static void stopNginx() {
    nginx.close();
  }

  @Test
  void shouldSplitTrafficThroughNginxAndRollBackOnAFailVerdict() throws Exception {
    FlowApp app = FlowApp.register("nginx");
    RolloutStepStarted step0 = app.canaryAtFirstStep("v1", "v2");
    publishVerdict(step0.rolloutId(), app.name(), 0, Verdict.PASS);
    assertThat(app.awaitStep(1).weight()).isEqualTo(25);

    Map<String, Integer> served = app.traffic(400);
    assertThat(served.getOrDefault("v2", 0)).isBetween(88, 112); // 25 ± 3 %
    assertThat(Files.readString(nginx.confDir().resolve("gantry-" + app.name() + ".conf")))
        .contains("weight=75")
        .contains("weight=25");

    publishVerdict(step0.rolloutId(), app.name(), 1, Verdict.FAIL);
    app.await(RolloutRolledBack.class, e -> e.rolloutId().equals(step0.rolloutId()));
    assertThat(app.traffic(50)).containsOnlyKeys("v1");
    assertThat(Files.readString(nginx.confDir().resolve("gantry-" + app.name() + ".conf")))
        .doesNotContain("weight=25");
  }

  @Test
  void shouldRetryAFailedReloadAndMoveOnOnceNginxIsBackInsteadOfRollingBack() {
    FlowApp app = FlowApp.register("nginx");
    RolloutStepStarted step0 = app.canaryAtFirstStep("v1", "v2");
    nginx.close(); // the reload now fails: no nginx answers the signal

    publishVerdict(step0.rolloutId(), app.name(), 0, Verdict.PASS);
    await("the reload failed and is retried")
        .atMost(Duration.ofSeconds(30))
        .until(() -> routerRetries(app) >= 1);
    nginx = NginxFixture.start(PREFIX);

    assertThat(app.awaitStep(1).weight()).isEqualTo(25);
    // nginx's old workers finish the connections they hold with the old weights first
    await("nginx splits 25 % to the canary")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(app.traffic(400).getOrDefault("v2", 0)).isBetween(88, 112));
    assertThat(app.events(RolloutRolledBack.class)).isEmpty();
    given()
        .header("Authorization", RolloutFlowTest.OPERATOR)
        .get("/rollouts/" + step0.rolloutId())
        .then()
        .body("phase", equalTo("PROGRESSING"))
        .body("step", equalTo(1));
  }

  @Test
  void shouldHoldAFirstDeployAndPauseGatedStepsWhileNginxCannotReloadAndGoOnOnceItIsBack() {
    FlowApp app =
        FlowApp.register("nginx", List.of(FlowApp.pauseStep(50, 1), FlowApp.pauseStep(100, 1)));
    nginx.close(); // every reload fails: nothing the rollout stores reaches nginx
    try {
      publishBuild(Releases.built(app.name(), "v1"));
      // three failed applies take 3 s: three times the first deploy's 1 s health pause
      await("the reload failed three times (or the rollout went on without nginx)")
          .atMost(Duration.ofSeconds(30))
          .until(() -> routerRetries(app) >= 3 || !app.events(RolloutPromoted.class).isEmpty());

      assertThat(app.events(RolloutPromoted.class)).as("promoted before nginx served").isEmpty();
      assertThat(app.<Object>shown("current")).isNull();
    } finally {
      nginx = NginxFixture.start(PREFIX);
    }
    app.await(RolloutPromoted.class, e -> e.canary().version().equals("v1"));
    assertThat(app.traffic(20)).containsOnlyKeys("v1");

    double failedBefore = routerRetries(app);
    nginx.close();
    String rolloutId;
    try {
      publishBuild(Releases.built(app.name(), "v2"));
      await("the reload of the canary's first step failed three times")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> routerRetries(app) >= failedBefore + 3 || app.shown("activeRollout") == null);
      rolloutId = rolloutOf(app, "v2");

      // 3 s at a step gated by a 1 s pause: it is still where nginx left it
      given()
          .header("Authorization", RolloutFlowTest.OPERATOR)
          .get("/rollouts/" + rolloutId)
          .then()
          .body("phase", equalTo("PROGRESSING"))
          .body("step", equalTo(0))
          .body("appliedStep", nullValue());
      assertThat(app.events(RolloutStepCompleted.class))
          .filteredOn(e -> e.rolloutId().equals(rolloutId))
          .isEmpty();
      assertThat(app.events(RolloutPromoted.class))
          .filteredOn(e -> e.rolloutId().equals(rolloutId))
          .isEmpty();
    } finally {
      nginx = NginxFixture.start(PREFIX);
    }

    app.await(RolloutPromoted.class, e -> e.rolloutId().equals(rolloutId));
    await("nginx sends everything to v2")
        .atMost(Duration.ofSeconds(30))
        .until(() -> app.traffic(20).keySet().equals(java.util.Set.of("v2")));
    // each step was announced once nginx served it, and its pause counted from then
    List<RolloutStepStarted> steps =
        app.events(RolloutStepStarted.class).stream()
            .filter(e -> e.rolloutId().equals(rolloutId))
            .toList();
    assertThat(steps).extracting(RolloutStepStarted::weight).containsExactly(50, 100);
    assertThat(app.events(RolloutStepCompleted.class))
        .filteredOn(e -> e.rolloutId().equals(rolloutId))
        .extracting(RolloutStepCompleted::completedAt)
        .allSatisfy(
            completed ->
                assertThat(completed).isAfterOrEqualTo(steps.get(0).startedAt().plusSeconds(1)));
    assertThat(app.events(RolloutRolledBack.class)).isEmpty();
  }

  @Test
  void shouldRollBackWhenTheRouterKeepsFailingAfterItsRetries() {
    FlowApp app = FlowApp.register("nginx");
    RolloutStepStarted step0 = app.canaryAtFirstStep("v1", "v2");
    nginx.close();
    try {
      publishVerdict(step0.rolloutId(), app.name(), 0, Verdict.PASS);

      await("rolled back after the retries")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  given()
                      .header("Authorization", RolloutFlowTest.OPERATOR)
                      .get("/rollouts/" + step0.rolloutId())
                      .then()
                      .body("phase", equalTo("ROLLED_BACK"))
                      .body(
                          "conditions.find { it.type == 'COMPLETED' }.reason",
                          equalTo("RouterFailed")));
      assertThat(routerRetries(app)).isEqualTo(3);
    } finally {
      nginx = NginxFixture.start(PREFIX);
    }
    RolloutRolledBack rolledBack =
        app.await(RolloutRolledBack.class, e -> e.rolloutId().equals(step0.rolloutId()));
    assertThat(rolledBack.message()).contains("4 times in a row");
    await("stable takes all the traffic once nginx is back")
        .atMost(Duration.ofSeconds(60))
        .until(() -> app.traffic(50).keySet().equals(java.util.Set.of("v1")));
  }

  private static String rolloutOf(FlowApp app, String version) {
    return given()
        .header("Authorization", RolloutFlowTest.OPERATOR)
        .queryParam("app", app.name())
        .get("/rollouts")
        .then()
        .statusCode(200)
        .extract()
        .path("find { it.versions.canary == '" + version + "' }.id");
  }

  private static double routerRetries(FlowApp app) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    String series = "gantry_rollout_router_retries_total{app=\"" + app.name() + "\"} ";
    return metrics
        .lines()
        .filter(l -> l.startsWith(series))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length()).trim()))
        .findFirst()
        .orElse(0);
  }
}

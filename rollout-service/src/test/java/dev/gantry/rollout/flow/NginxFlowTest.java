package dev.gantry.rollout.flow;

import static dev.gantry.rollout.flow.Releases.publishVerdict;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.NginxFixture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

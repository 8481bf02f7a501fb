package dev.gantry.rollout.flow;

import static dev.gantry.rollout.flow.Releases.publishVerdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.NginxFixture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private static NginxFixture nginx;

  @BeforeAll
  static void startNginx() {
    nginx = NginxFixture.start(Path.of("target/test-nginx"));
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
}

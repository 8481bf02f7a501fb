package dev.gantry.monitor;

import static dev.gantry.monitor.MonitorFlowTest.analysis;
import static dev.gantry.monitor.MonitorFlowTest.awaitVerdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.Target;
import dev.gantry.monitor.support.AlertReceiver;
import dev.gantry.monitor.support.Rollouts;
import dev.gantry.monitor.support.RunningSample;
import dev.gantry.testkit.GantryInfra;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Targets of the Kubernetes router are Services; the monitor scrapes the ready pods behind them,
 * found by label in the fabric8 mock API server. The pods' IP is loopback and their port is where a
 * real Go sample listens, so the scrapes are real. The mock server runs in CRUD mode (the
 * resource's default).
 */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
@QuarkusTestResource(AlertReceiver.class)
// what @WithKubernetesTestServer(crud = true) starts, declared as a global resource like the
// others: that annotation restricts it to its class, which restarts Quarkus for every test class
@QuarkusTestResource(KubernetesServerTestResource.class)
class KubernetesTargetsTest {
  static final String NAMESPACE = "shop";

  @Inject KubernetesClient client;

  /** A Service target as rollout-service's KubernetesRouter announces it. */
  private static Target service(String app, String track, String version, int port) {
    String base = "http://" + app + "-" + track + "." + NAMESPACE + ".svc.cluster.local:" + port;
    return new Target(
        track,
        version,
        base,
        base + "/debug/pprof",
        base + "/metrics",
        app + "-" + track + "." + NAMESPACE + ".svc.cluster.local");
  }

  private void pod(String name, String app, String track, String version, int port, boolean ready) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NAMESPACE)
            .addToLabels("app.kubernetes.io/name", app)
            .addToLabels("gantry.dev/track", track)
            .addToLabels("gantry.dev/version", version)
            .addToLabels("app.kubernetes.io/managed-by", "gantry")
            .endMetadata()
            .withNewSpec()
            .withNodeName("node-a")
            .addNewContainer()
            .withName("app")
            .withImage("gcr.io/distroless/static")
            .addNewPort()
            .withName("http")
            .withContainerPort(port)
            .endPort()
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP("127.0.0.1")
            .withHostIP("127.0.0.1")
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus()
            .build();
    client.pods().inNamespace(NAMESPACE).resource(pod).create();
  }

  @Test
  void shouldScrapeEachReadyPodOfTheTrackWhenTheTargetIsAKubernetesService() {
    try (RunningSample stable = RunningSample.start("v1").withTraffic(20);
        RunningSample canary = RunningSample.start("v2").withTraffic(20)) {
      Rollouts r = new Rollouts("v2", "v1");
      int canaryPort = port(canary);
      int stablePort = port(stable);
      int nothing = RunningSample.freePort();
      pod(r.app + "-canary-a", r.app, "canary", "v2", canaryPort, true);
      pod(r.app + "-stable-a", r.app, "stable", "v1", stablePort, true);
      // neither must be scraped: one is not ready, the other runs the previous canary version
      pod(r.app + "-canary-starting", r.app, "canary", "v2", nothing, false);
      pod(r.app + "-canary-old", r.app, "canary", "v0", nothing, true);
      r.publish(
          r.stepStarted(
              0,
              service(r.app, "canary", "v2", canaryPort),
              service(r.app, "stable", "v1", stablePort)));

      AnalysisVerdict verdict = awaitVerdict(r);

      assertThat(verdict.verdict()).as("%s", verdict.evidence()).isEqualTo(Verdict.PASS);
      JsonPath a = analysis(r.rolloutId);
      List<String> reasons = a.getList("steps[0].canary.points.missingReason");
      assertThat(reasons).isNotEmpty().containsOnlyNulls();
      assertThat(a.getList("steps[0].canary.points.goroutines", Double.class))
          .allMatch(g -> g != null && g > 0);
      // the pod's node (hostIP 127.0.0.1) is this machine, read with OSHI: the node name is not
      assertThat(a.getList("steps[0].canary.points.hostLoadPerCore")).doesNotContainNull();
    }
  }

  @Test
  void shouldRecordMissingDataWhenNoPodOfTheTrackIsReady() {
    try (RunningSample stable = RunningSample.start("v1").withTraffic(10)) {
      Rollouts r = new Rollouts("v2", "v1");
      int stablePort = port(stable);
      pod(r.app + "-stable-a", r.app, "stable", "v1", stablePort, true);
      pod(r.app + "-canary-a", r.app, "canary", "v2", RunningSample.freePort(), false);
      r.publish(
          r.stepStarted(
              0,
              service(r.app, "canary", "v2", RunningSample.freePort()),
              service(r.app, "stable", "v1", stablePort)));

      AnalysisVerdict verdict = awaitVerdict(r);

      assertThat(verdict.verdict()).as("%s", verdict.evidence()).isEqualTo(Verdict.INCONCLUSIVE);
      List<String> reasons = analysis(r.rolloutId).getList("steps[0].canary.points.missingReason");
      assertThat(reasons)
          .isNotEmpty()
          .allMatch(m -> m != null && m.contains("no ready pod") && m.contains(NAMESPACE));
    }
  }

  private static int port(RunningSample sample) {
    String base = sample.baseUrl();
    return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
  }
}

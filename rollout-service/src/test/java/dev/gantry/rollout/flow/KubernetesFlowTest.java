package dev.gantry.rollout.flow;

import static dev.gantry.rollout.flow.Releases.publishBuild;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;

import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.events.rollout.Target;
import dev.gantry.rollout.router.kubernetes.FakeDeploymentController;
import dev.gantry.testkit.GantryInfra;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine driving the kubernetes router: an app registered with {@code router=kubernetes}
 * through REST, builds on build.events, and what a user would see with kubectl in the fabric8 mock
 * API server (CRUD mode). The mock runs no Deployment controller: {@link FakeDeploymentController}
 * reports the pods ready, as the cluster's would.
 */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
// the kubernetes router's API server (fabric8 mock, CRUD mode) as a global resource, as
// monitor-service
// does: @WithKubernetesTestServer would restrict it to one class and restart Quarkus for it
@QuarkusTestResource(KubernetesServerTestResource.class)
class KubernetesFlowTest {
  private static final String NAMESPACE = "shop-flow";

  @Inject KubernetesClient client;

  private FakeDeploymentController controller;

  @BeforeEach
  void startController() {
    controller = new FakeDeploymentController(client);
  }

  @AfterEach
  void stopController() {
    controller.close();
  }

  @Test
  void shouldRunABuildAsDeploymentsWeightedByAnHttpRouteWhenTheAppIsRegisteredForKubernetes() {
    String name = "kube-" + UUID.randomUUID().toString().substring(0, 8);
    given()
        .header("Authorization", RolloutFlowTest.OPERATOR)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "name",
                name,
                "repo",
                Releases.repo(name),
                "router",
                "kubernetes",
                "routerOptions",
                Map.of("namespace", NAMESPACE, "gateway", "edge/public", "replicas", "2")))
        .post("/apps")
        .then()
        .statusCode(201);
    FlowApp app = new FlowApp(name, 0);

    publishBuild(Releases.built(name, "v1"));

    app.await(RolloutPromoted.class, e -> e.canary().version().equals("v1"));
    assertRuns(deployment(name + "-stable"), name, "stable", "v1", 2);
    assertThat(deployment(name + "-canary")).isNull();
    assertThat(weights(name)).containsExactly(tuple(name + "-stable", 100));

    publishBuild(Releases.built(name, "v2"));

    RolloutStepStarted step0 =
        app.await(
            RolloutStepStarted.class, e -> e.canary().version().equals("v2") && e.step() == 0);
    assertThat(step0.weight()).isEqualTo(5);
    assertThat(weights(name))
        .containsExactly(tuple(name + "-stable", 95), tuple(name + "-canary", 5));
    assertRuns(deployment(name + "-canary"), name, "canary", "v2", 1);
    // the stable version stays fully scaled: taking the canary out needs no pod to start
    assertRuns(deployment(name + "-stable"), name, "stable", "v1", 2);
    assertThat(service(name + "-canary").getSpec().getSelector())
        .containsEntry("gantry.dev/track", "canary");
    // where monitor-service scrapes: the track's Service, in the app's namespace
    assertThat(step0.canaryTarget())
        .isEqualTo(target(name, "canary", "v2"))
        .extracting(Target::host)
        .isEqualTo(name + "-canary." + NAMESPACE + ".svc.cluster.local");
    assertThat(step0.stableTarget()).isEqualTo(target(name, "stable", "v1"));

    given()
        .header("Authorization", RolloutFlowTest.OPERATOR)
        .post("/rollouts/" + step0.rolloutId() + "/abort")
        .then()
        .statusCode(200)
        .body("phase", equalTo("ABORTED"));

    app.await(RolloutAborted.class, e -> e.rolloutId().equals(step0.rolloutId()));
    assertThat(weights(name)).containsExactly(tuple(name + "-stable", 100));
    assertThat(deployment(name + "-canary")).isNull();
    assertRuns(deployment(name + "-stable"), name, "stable", "v1", 2);
  }

  private static Target target(String app, String track, String version) {
    String host = app + "-" + track + "." + NAMESPACE + ".svc.cluster.local";
    String base = "http://" + host + ":8080";
    return new Target(track, version, base, base + "/debug/pprof", base + "/metrics", host);
  }

  /** The binary of {@code version} from the shared volume, with its labels, at this many pods. */
  private static void assertRuns(
      Deployment deployment, String app, String track, String version, int replicas) {
    assertThat(deployment).as("Deployment of the %s track", track).isNotNull();
    assertThat(deployment.getSpec().getReplicas()).as("%s pods", track).isEqualTo(replicas);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", app)
        .containsEntry("gantry.dev/track", track)
        .containsEntry("gantry.dev/version", version);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
        .containsExactly("/gantry/artifacts/" + app + "/" + version + "/linux_amd64/" + app);
    assertThat(deployment.getMetadata().getAnnotations())
        .containsEntry("gantry.dev/commit", Releases.commit(version));
  }

  private List<org.assertj.core.groups.Tuple> weights(String app) {
    HTTPRoute route =
        client
            .resources(HTTPRoute.class, HTTPRouteList.class)
            .inNamespace(NAMESPACE)
            .withName(app)
            .get();
    assertThat(route).as("HTTPRoute %s/%s", NAMESPACE, app).isNotNull();
    return route.getSpec().getRules().get(0).getBackendRefs().stream()
        .map(ref -> tuple(ref.getName(), ref.getWeight()))
        .toList();
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
  }

  private Service service(String name) {
    return client.services().inNamespace(NAMESPACE).withName(name).get();
  }
}

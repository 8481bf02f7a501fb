package dev.gantry.rollout.router.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gantry.events.rollout.Target;
import dev.gantry.rollout.router.AppRoute;
import dev.gantry.rollout.router.Backend;
import dev.gantry.rollout.router.RouteState;
import dev.gantry.rollout.router.RouterException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One CRUD mock server for the class (starting and stopping one costs a second); emptied after each
 * test.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRouterTest {
  private static final String NS = "gantry-apps";

  static KubernetesClient client;

  private FakeDeploymentController controller;
  private KubernetesRouter router;

  @BeforeEach
  void setUp() {
    controller = new FakeDeploymentController(client);
    router = router(Duration.ofSeconds(5));
  }

  /** A router that gives Deployments {@code readiness} to become available. */
  private static KubernetesRouter router(Duration readiness) {
    return TestRouters.router(client, NS, readiness);
  }

  @AfterEach
  void tearDown() {
    controller.close();
    allObjects().forEach(o -> client.resource(o).delete());
  }

  @Test
  void shouldMoveHttpRouteWeightsStepByStepAndPromoteWhenAGatewayIsNamed() {
    Map<String, String> options = Map.of("gateway", "edge/public", "namespace", "shop");
    router.apply(route("hello", options, V1, null, 0));
    assertThat(weights("shop", "hello")).containsExactly(tuple("hello-stable", 100));

    for (int weight : new int[] {5, 25, 50, 100}) {
      RouteState state = router.apply(route("hello", options, V1, V2, weight));

      assertThat(weights("shop", "hello"))
          .containsExactly(tuple("hello-stable", 100 - weight), tuple("hello-canary", weight));
      HTTPRoute httpRoute = httpRoute("shop", "hello");
      assertThat(httpRoute.getSpec().getParentRefs())
          .extracting(p -> p.getNamespace() + "/" + p.getName())
          .containsExactly("edge/public");
      assertRuns(deployment("shop", "hello-stable"), "stable", V1);
      assertRuns(deployment("shop", "hello-canary"), "canary", V2);
      // the stable track stays fully scaled, so an abort needs no pod to start
      assertThat(deployment("shop", "hello-stable").getSpec().getReplicas()).isEqualTo(4);
      assertThat(deployment("shop", "hello-canary").getSpec().getReplicas())
          .isEqualTo(Math.max(1, (int) Math.ceil(4 * weight / 100.0)));
      assertThat(service("shop", "hello-canary").getSpec().getSelector())
          .isEqualTo(Map.of("app.kubernetes.io/name", "hello", "gantry.dev/track", "canary"));
      assertThat(service("shop", "hello")).as("no unweighted Service beside the route").isNull();
      assertThat(state.canary())
          .isEqualTo(
              new Target(
                  "canary",
                  "1.1.0+build.7",
                  "http://hello-canary.shop.svc.cluster.local:8080",
                  "http://hello-canary.shop.svc.cluster.local:8080/debug/pprof",
                  "http://hello-canary.shop.svc.cluster.local:8080/metrics",
                  "hello-canary.shop.svc.cluster.local"));
      assertThat(state.stable().baseUrl())
          .isEqualTo("http://hello-stable.shop.svc.cluster.local:8080");
    }

    RouteState promoted = router.apply(route("hello", options, V2, null, 0));

    assertRuns(deployment("shop", "hello-stable"), "stable", V2);
    assertThat(deployment("shop", "hello-canary")).isNull();
    assertThat(service("shop", "hello-canary")).isNull();
    assertThat(weights("shop", "hello")).containsExactly(tuple("hello-stable", 100));
    assertThat(promoted.canary()).isNull();
    assertThat(promoted.stable().version()).isEqualTo("1.1.0+build.7");
  }

  @Test
  void shouldScaleTheCanaryToTheWeightAndKeepStableFullyScaledWhenThereIsNoGateway() {
    router.apply(route("hello", Map.of(), V1, null, 0));
    assertThat(replicas("hello")).isEqualTo(List.of(4));
    assertThat(selector("hello")).isEqualTo(track("stable"));

    // 4 stable pods: 5 % and 25 % are closest with one canary pod (20 %), 50 % with four
    Map<Integer, List<Integer>> expected =
        Map.of(5, List.of(4, 1), 25, List.of(4, 1), 50, List.of(4, 4), 100, List.of(4, 4));
    for (int weight : new int[] {5, 25, 50, 100}) {
      router.apply(route("hello", Map.of(), V1, V2, weight));

      assertThat(replicas("hello"))
          .as("stable, canary pods at %d %%", weight)
          .isEqualTo(expected.get(weight));
      assertThat(selector("hello"))
          .as("the Service's pods at %d %%", weight)
          // at 100 % the stable pods run on outside the Service, ready to take it back
          .isEqualTo(weight == 100 ? track("canary") : Map.of("app.kubernetes.io/name", "hello"));
      assertThat(httpRoute(NS, "hello")).isNull();
      assertRuns(deployment(NS, "hello-canary"), "canary", V2);
    }

    router.apply(route("hello", Map.of(), V2, null, 0));

    assertThat(replicas("hello")).isEqualTo(List.of(4));
    assertRuns(deployment(NS, "hello-stable"), "stable", V2);
    assertThat(selector("hello")).isEqualTo(track("stable"));
    assertThat(service(NS, "hello-canary")).isNull();
  }

  @Test
  void shouldServeFromTheStablePodsAgainWithoutStartingOneWhenAbortedAt100WithoutAGateway() {
    KubernetesRouter router = router(Duration.ofMillis(500));
    router.apply(route("hello", Map.of(), V1, null, 0));
    router.apply(route("hello", Map.of(), V1, V2, 100));
    Deployment stableAt100 = deployment(NS, "hello-stable");
    assertThat(stableAt100.getSpec().getReplicas()).isEqualTo(4);
    // from now on no stable pod could become ready: an abort that needed one would fail
    controller.neverReady("1.0.0");

    router.apply(route("hello", Map.of(), V1, null, 0));

    assertThat(selector("hello")).isEqualTo(track("stable"));
    assertThat(deployment(NS, "hello-stable").getMetadata().getResourceVersion())
        .as("the stable Deployment was not touched")
        .isEqualTo(stableAt100.getMetadata().getResourceVersion());
    assertThat(deployment(NS, "hello-canary")).isNull();
  }

  @Test
  void shouldRollBackToWeightZeroThenRemoveTheCanary() {
    Map<String, String> gateway = Map.of("gateway", "public");
    router.apply(route("hello", gateway, V1, V2, 25));
    router.apply(route("hello", Map.of(), V1, V2, 25)); // also without a gateway, below
    router.apply(route("hello", gateway, V1, V2, 25));

    router.apply(route("hello", gateway, V1, V2, 0));
    assertThat(weights(NS, "hello"))
        .containsExactly(tuple("hello-stable", 100), tuple("hello-canary", 0));
    assertThat(service(NS, "hello")).as("the gateway took over from the replica Service").isNull();

    router.apply(route("hello", gateway, V1, null, 0));
    assertThat(weights(NS, "hello")).containsExactly(tuple("hello-stable", 100));
    assertThat(deployment(NS, "hello-canary")).isNull();
    assertRuns(deployment(NS, "hello-stable"), "stable", V1);

    router.apply(route("hello", Map.of(), V1, V2, 25));
    router.apply(route("hello", Map.of(), V1, V2, 0));
    assertThat(replicas("hello")).as("weight 0 is no canary pod").isEqualTo(List.of(4, 0));
    assertThat(httpRoute(NS, "hello")).isNull();
  }

  @Test
  void shouldThrowAndLeaveTheWeightsWhenTheCanaryNeverBecomesReady() {
    KubernetesRouter router = router(Duration.ofMillis(500));
    Map<String, String> gateway = Map.of("gateway", "public");
    router.apply(route("hello", gateway, V1, null, 0));
    controller.neverReady("1.1.0_build.7");

    assertThatThrownBy(() -> router.apply(route("hello", gateway, V1, V2, 5)))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("Deployment gantry-apps/hello-canary did not become available");
    assertThat(weights(NS, "hello")).containsExactly(tuple("hello-stable", 100));
    assertThat(deployment(NS, "hello-canary")).as("the new canary is taken away").isNull();
    assertThat(service(NS, "hello-canary")).isNull();

    // a canary that served at 25 % and is replaced by a version that never gets ready
    router.apply(route("hello", gateway, V1, V3, 25));
    assertThatThrownBy(() -> router.apply(route("hello", gateway, V1, V2, 50)))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("hello-canary");
    assertThat(weights(NS, "hello"))
        .containsExactly(tuple("hello-stable", 75), tuple("hello-canary", 25));
    assertRuns(deployment(NS, "hello-canary"), "canary", V3);
  }

  @Test
  void shouldThrowAndKeepTheReplicasWhenMoreCanaryPodsNeverBecomeReady() {
    KubernetesRouter router = router(Duration.ofMillis(500));
    router.apply(route("hello", Map.of(), V1, V3, 25));
    controller.neverReady("1.2.0");
    // same version, more pods: the controller now never reports them ready
    assertThatThrownBy(() -> router.apply(route("hello", Map.of(), V1, V3, 50)))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("hello-canary");
    assertThat(replicas("hello")).isEqualTo(List.of(4, 1));
  }

  @Test
  void shouldWriteNothingWhenTheSameRouteIsAppliedAgain() {
    AppRoute route = route("hello", Map.of("gateway", "public"), V1, V2, 25);
    router.apply(route);
    Map<String, String> before = resourceVersions();

    router.apply(route);

    assertThat(resourceVersions()).isEqualTo(before).hasSize(5);
  }

  @Test
  void shouldRemoveEverythingOfTheAppAndNothingElse() {
    router.apply(route("hello", Map.of("gateway", "public"), V1, V2, 25));
    router.apply(route("other", Map.of(), V1, null, 0));
    router.apply(route("hello", Map.of("namespace", "shop"), V1, V2, 25));

    router.remove("hello");

    assertThat(resourceVersions()).allSatisfy((name, rv) -> assertThat(name).contains("/other"));
    assertThat(client.apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
    assertThat(client.services().inNamespace("shop").list().getItems()).isEmpty();
    assertThat(deployment(NS, "other-stable")).isNotNull();
  }

  @Test
  void shouldDeleteTheAppWhenTheRouteHasNoVersionLeft() {
    router.apply(route("hello", Map.of("gateway", "public"), V1, V2, 25));

    RouteState state = router.apply(route("hello", Map.of("gateway", "public"), null, null, 0));

    assertThat(state).isEqualTo(new RouteState(null, null));
    assertThat(resourceVersions()).isEmpty();
  }

  @Test
  void shouldRefuseHostileNamesAndCreateNothing() {
    List<AppRoute> hostile =
        List.of(
            route("Hello", Map.of(), V1, null, 0),
            route("hello_world", Map.of(), V1, null, 0),
            route("../hello", Map.of(), V1, null, 0),
            route("a".repeat(57), Map.of(), V1, null, 0),
            route("shop-canary", Map.of(), V1, null, 0),
            route("hello", Map.of(), V1, backend("1.0; rm -rf /", "artifacts/hello/x/hello"), 5),
            route("hello", Map.of(), V1, backend("v2\nx", "artifacts/hello/x/hello"), 5),
            route("hello", Map.of(), V1, backend("v2", "../../etc/passwd"), 5),
            route("hello", Map.of(), V1, backend("v2", "/bin/sh"), 5),
            route("hello", Map.of("namespace", "Kube_System"), V1, null, 0),
            route("hello", Map.of("gateway", "a/b/c"), V1, null, 0),
            route("hello", Map.of("replicas", "-1"), V1, null, 0));
    for (AppRoute route : hostile) {
      assertThatThrownBy(() -> router.apply(route))
          .as("%s", route)
          .isInstanceOf(RouterException.class)
          .hasMessageMatching("(?s).*(app name|version|artifact|namespace|gateway|replicas).*");
    }
    assertThatThrownBy(() -> router.apply(route("hello_world", Map.of(), V1, null, 0)))
        .hasMessageContaining("app name 'hello_world' is not usable in Kubernetes");
    assertThat(resourceVersions()).isEmpty();
  }

  // --- helpers ---

  private static final Backend V1 =
      backend("1.0.0", "artifacts/hello/1.0.0/linux_amd64/hello", "b-1", "aaaa111");
  private static final Backend V2 =
      backend("1.1.0+build.7", "artifacts/hello/1.1.0+build.7/linux_amd64/hello", "b-2", "bbbb222");
  private static final Backend V3 =
      backend("1.2.0", "artifacts/hello/1.2.0/linux_amd64/hello", "b-3", "cccc333");

  private static Backend backend(String version, String artifact) {
    return backend(version, artifact, "b", "c");
  }

  private static Backend backend(String version, String artifact, String buildId, String commit) {
    return new Backend(version, buildId, commit, artifact);
  }

  private static AppRoute route(
      String app, Map<String, String> options, Backend stable, Backend canary, int weight) {
    return new AppRoute(app, "/healthz", 0, options, stable, canary, weight);
  }

  /** What a user reads with kubectl: the binary from the read-only share, labelled and traced. */
  private static void assertRuns(Deployment deployment, String track, Backend backend) {
    assertThat(deployment).as("deployment of the %s track", track).isNotNull();
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("gcr.io/distroless/static-debian12");
    assertThat(container.getCommand()).containsExactly("/gantry/" + backend.artifact());
    assertThat(container.getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("PORT");
              assertThat(env.getValue()).isEqualTo("8080");
            });
    assertThat(container.getVolumeMounts())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/gantry");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("gantry-shared");
              assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
            });
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    String label = backend.version().replace('+', '_');
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "hello")
        .containsEntry("gantry.dev/track", track)
        .containsEntry("gantry.dev/version", label);
    assertThat(deployment.getMetadata().getLabels()).containsEntry("gantry.dev/version", label);
    assertThat(deployment.getMetadata().getAnnotations())
        .containsEntry("gantry.dev/version", backend.version())
        .containsEntry("gantry.dev/build-id", backend.buildId())
        .containsEntry("gantry.dev/commit", backend.commit());
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "hello", "gantry.dev/track", track));
  }

  private List<org.assertj.core.groups.Tuple> weights(String namespace, String app) {
    HTTPRoute route = httpRoute(namespace, app);
    assertThat(route).as("HTTPRoute %s/%s", namespace, app).isNotNull();
    return route.getSpec().getRules().get(0).getBackendRefs().stream()
        .map((HTTPBackendRef ref) -> tuple(ref.getName(), ref.getWeight()))
        .toList();
  }

  /** Replica counts of the stable then the canary Deployment, of those that exist. */
  private List<Integer> replicas(String app) {
    return Stream.of("stable", "canary")
        .map(track -> deployment(NS, app + "-" + track))
        .filter(d -> d != null)
        .map(d -> d.getSpec().getReplicas())
        .toList();
  }

  private Map<String, String> selector(String app) {
    return service(NS, app).getSpec().getSelector();
  }

  private static Map<String, String> track(String track) {
    return Map.of("app.kubernetes.io/name", "hello", "gantry.dev/track", track);
  }

  private Deployment deployment(String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  private Service service(String namespace, String name) {
    return client.services().inNamespace(namespace).withName(name).get();
  }

  private HTTPRoute httpRoute(String namespace, String name) {
    return client
        .resources(HTTPRoute.class, HTTPRouteList.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  /** Every object in every namespace, by kind/namespace/name. */
  private Map<String, String> resourceVersions() {
    Map<String, String> versions = new HashMap<>();
    allObjects()
        .forEach(
            o ->
                versions.put(
                    o.getKind()
                        + "/"
                        + o.getMetadata().getNamespace()
                        + "/"
                        + o.getMetadata().getName(),
                    o.getMetadata().getResourceVersion()));
    return versions;
  }

  private static List<HasMetadata> allObjects() {
    return Stream.of(
            client.apps().deployments().inAnyNamespace().list().getItems(),
            client.services().inAnyNamespace().list().getItems(),
            client
                .resources(HTTPRoute.class, HTTPRouteList.class)
                .inAnyNamespace()
                .list()
                .getItems())
        .flatMap(List::stream)
        .map(HasMetadata.class::cast)
        .toList();
  }
}

package dev.gantry.rollout.router.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.rollout.router.AppRoute;
import dev.gantry.rollout.router.Backend;
import dev.gantry.rollout.router.RouterException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteList;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Role deploy/kubernetes gives rollout-service against the requests the real router sends: the
 * router is driven through all it does, in both modes, and every request its client sent to the
 * mock server must be granted. RouterRoleTest over there checks the Role against a hand-kept list
 * of calls; this checks the router's code itself, so a new or changed call cannot pass unseen and
 * meet a 403 on a real cluster.
 */
@EnableKubernetesMockClient(crud = true)
class RouterRbacTest {

  /** Tells the router's requests from those of the fake controller and of the checks here. */
  private static final String ROUTER_AGENT = "gantry-kubernetes-router-under-test";

  private static final Map<String, String> GATEWAY = Map.of("gateway", "public");
  private static final Map<String, String> NO_GATEWAY = Map.of();

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static RouterRole role;

  /** Each distinct request the router sent, with the first HTTP request it was seen in. */
  private static final Map<RbacRequest, String> SENT = new LinkedHashMap<>();

  @BeforeAll
  static void driveTheRouterThroughAllItDoes() throws InterruptedException {
    role = RouterRole.read(RouterRole.REPO);
    try (KubernetesClient routerClient =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(client.getConfiguration())
                        .withUserAgent(ROUTER_AGENT)
                        .build())
                .build();
        FakeDeploymentController controller = new FakeDeploymentController(client)) {
      drive(
          router(routerClient, Duration.ofSeconds(10)),
          router(routerClient, Duration.ofMillis(300)),
          controller);
    }
    RecordedRequest request;
    while ((request = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
      if (ROUTER_AGENT.equals(request.getHeader("User-Agent"))) {
        SENT.putIfAbsent(
            RbacRequest.of(request.getMethod(), request.getPath()),
            request.getMethod() + " " + request.getPath());
      }
    }
  }

  @Test
  void shouldBeGrantedEveryRequestTheRouterSendsWhenDrivenThroughAllItDoes() {
    List<String> notGranted = role.notGranted(SENT.keySet());

    assertThat(notGranted)
        .withFailMessage(
            "%s%n%nsent as:%n%s",
            String.join("\n", notGranted),
            SENT.entrySet().stream()
                .filter(e -> !role.allows(e.getKey()))
                .map(Map.Entry::getValue)
                .collect(Collectors.joining("\n")))
        .isEmpty();
  }

  /** A mode, or a kind, that silently stopped sending requests would pass the test above. */
  @Test
  void shouldSendARequestForEveryResourceTheRoleGrantsWhenDrivenThroughAllItDoes() {
    assertThat(SENT).as("requests the router's client sent").isNotEmpty();

    List<String> notExercised = role.notExercised(SENT.keySet());
    assertThat(notExercised).withFailMessage("%s", String.join("\n", notExercised)).isEmpty();
  }

  /** The check above can fail: a copy of the repository whose Role lacks one verb. */
  @Test
  void shouldNameTheRequestsARoleDoesNotGrantWhenItLacksAVerb(@TempDir Path repo)
      throws IOException {
    copy(RouterRole.SERVICE, repo, text -> text);
    copy(RouterRole.RBAC, repo, RouterRbacTest::withoutUpdateOfDeployments);

    assertThat(RouterRole.read(repo).notGranted(SENT.keySet()))
        .contains(
            "update apps/deployments in "
                + role.routerNamespace()
                + ": not granted by deploy/kubernetes/base/rbac/rollout-service.yaml");
  }

  /**
   * First deploys, every step, promote, abort, rollback, a canary that never becomes available
   * (new, and replacing one that served), a wait given up, a switch between the modes, an app's
   * route emptied and an app removed, in the namespace the router is configured with.
   */
  private static void drive(
      KubernetesRouter router, KubernetesRouter impatient, FakeDeploymentController controller) {
    controller.neverReady("9.9.9");

    // with a Gateway: the HTTPRoute's weights
    router.apply(route("shop", GATEWAY, V1, null, 0));
    for (int weight : new int[] {5, 25, 50, 100}) {
      router.apply(route("shop", GATEWAY, V1, V2, weight));
    }
    router.apply(route("shop", GATEWAY, V2, null, 0));
    router.apply(route("shop", GATEWAY, V2, null, 0)); // unchanged: read, not written
    router.apply(route("shop", GATEWAY, V2, V3, 25));
    router.apply(route("shop", GATEWAY, V2, V3, 0));
    router.apply(route("shop", GATEWAY, V2, null, 0));
    assertThatThrownBy(() -> impatient.apply(route("shop", GATEWAY, V2, NEVER_READY, 5)))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("did not become available");
    router.apply(route("shop", GATEWAY, V2, V3, 25));
    assertThatThrownBy(() -> impatient.apply(route("shop", GATEWAY, V2, NEVER_READY, 50)))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("did not become available");
    assertThatThrownBy(() -> router.apply(route("shop", GATEWAY, V2, NEVER_READY, 50), () -> true))
        .isInstanceOfSatisfying(
            RouterException.class, e -> assertThat(e.isCancelled()).as("cancelled").isTrue());
    router.apply(route("shop", NO_GATEWAY, V2, V3, 25));
    router.apply(route("shop", GATEWAY, V2, V3, 25));
    router.apply(route("shop", GATEWAY, null, null, 0));

    // without one: the replica ratio behind the app's Service
    router.apply(route("cart", NO_GATEWAY, null, V1, 0));
    router.apply(route("cart", NO_GATEWAY, V1, null, 0));
    for (int weight : new int[] {5, 25, 50, 100}) {
      router.apply(route("cart", NO_GATEWAY, V1, V2, weight));
    }
    router.apply(route("cart", NO_GATEWAY, V1, null, 0));
    for (int weight : new int[] {5, 50, 25, 0, 100}) {
      router.apply(route("cart", NO_GATEWAY, V1, V2, weight));
    }
    router.apply(route("cart", NO_GATEWAY, V2, null, 0));
    router.remove("cart");

    assertThat(left(role.routerNamespace())).as("objects left behind").isEmpty();
  }

  private static KubernetesRouter router(KubernetesClient routerClient, Duration readiness) {
    return TestRouters.router(routerClient, role.routerNamespace(), readiness);
  }

  private static List<HasMetadata> left(String namespace) {
    List<HasMetadata> left = new ArrayList<>();
    left.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
    left.addAll(client.services().inNamespace(namespace).list().getItems());
    left.addAll(
        client
            .resources(HTTPRoute.class, HTTPRouteList.class)
            .inNamespace(namespace)
            .list()
            .getItems());
    return left;
  }

  private static void copy(String file, Path repo, UnaryOperator<String> change)
      throws IOException {
    Path to = repo.resolve(file);
    Files.createDirectories(to.getParent());
    Files.writeString(to, change.apply(Files.readString(RouterRole.REPO.resolve(file))));
  }

  /** The same documents, but the rule on apps/deployments without {@code update}. */
  private static String withoutUpdateOfDeployments(String yaml) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<String> documents = new ArrayList<>();
    for (Object item : (List<?>) serialization.unmarshal(yaml)) {
      if (item instanceof Role parsed) {
        for (PolicyRule rule : parsed.getRules()) {
          if (rule.getApiGroups().contains("apps") && rule.getResources().contains("deployments")) {
            assertThat(rule.getVerbs()).as("the Role's verbs on deployments").contains("update");
            rule.setVerbs(rule.getVerbs().stream().filter(v -> !v.equals("update")).toList());
          }
        }
      }
      documents.add(serialization.asYaml(item));
    }
    return String.join("\n---\n", documents);
  }

  private static final Backend V1 = backend("1.0.0");
  private static final Backend V2 = backend("1.1.0");
  private static final Backend V3 = backend("1.2.0");
  private static final Backend NEVER_READY = backend("9.9.9");

  private static Backend backend(String version) {
    return new Backend(
        version, "b-" + version, "c0ffee", "artifacts/app/" + version + "/linux_amd64/app");
  }

  private static AppRoute route(
      String app, Map<String, String> options, Backend stable, Backend canary, int weight) {
    return new AppRoute(app, "/healthz", 0, options, stable, canary, weight);
  }
}

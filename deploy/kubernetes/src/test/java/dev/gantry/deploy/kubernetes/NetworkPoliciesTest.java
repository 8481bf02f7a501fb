package dev.gantry.deploy.kubernetes;

import static dev.gantry.deploy.kubernetes.NetworkPolicies.Destination.address;
import static dev.gantry.deploy.kubernetes.NetworkPolicies.Destination.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.deploy.kubernetes.NetworkPolicies.Destination;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The services' way out, as their NetworkPolicies allow it: what each one calls, and nothing it
 * does not. Addresses are documentation ranges (RFC 5737) standing for "outside the pods".
 */
class NetworkPoliciesTest {

  static final List<String> OVERLAYS = Manifests.OVERLAYS;

  static final Destination INTERNET = address("203.0.113.10");
  static final Destination NODE = address("192.0.2.21");
  static final Destination API_SERVER = address("192.0.2.1");
  static final Destination ALERTMANAGER =
      pod("monitoring", Map.of("app.kubernetes.io/name", "alertmanager"));

  /** A pod as the Kubernetes router labels it (README.md, "How the Kubernetes router maps…"). */
  static final Destination APP_POD =
      pod(
          "gantry-apps",
          Map.of(
              "app.kubernetes.io/name", "shop",
              "gantry.dev/track", "canary",
              "gantry.dev/version", "1.2.0",
              "app.kubernetes.io/managed-by", "gantry"));

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldLetMonitorServiceReachAlertReceiversNodeExporterAndTheAppsPort(String overlay) {
    Manifests m = Manifests.overlay(overlay);
    int appPort = appPort(m);

    assertThat(egress(m, "monitor-service", ALERTMANAGER, 9093))
        .as("in-cluster Alertmanager")
        .isTrue();
    assertThat(egress(m, "monitor-service", INTERNET, 443)).as("PagerDuty, Slack").isTrue();
    assertThat(egress(m, "monitor-service", NODE, 9100)).as("node_exporter").isTrue();
    assertThat(egress(m, "monitor-service", APP_POD, appPort)).as("pprof, /metrics").isTrue();
    assertThat(egress(m, "monitor-service", APP_POD, 5432)).as("another port of an app").isFalse();
    assertThat(egress(m, "monitor-service", INTERNET, 22)).isFalse();
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldLetOnlyTheApiCallersReachTheApiServer(String overlay) {
    Manifests m = Manifests.overlay(overlay);

    for (String caller : List.of("rollout-service", "monitor-service")) {
      assertThat(egress(m, caller, API_SERVER, 443)).as(caller).isTrue();
      assertThat(egress(m, caller, API_SERVER, 6443)).as(caller).isTrue();
    }
    for (String other : List.of("build-api", "build-worker")) {
      assertThat(egress(m, other, API_SERVER, 6443)).as(other).isFalse();
    }
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldKeepRolloutServiceAndBuildApiOffWhatTheyDoNotCall(String overlay) {
    Manifests m = Manifests.overlay(overlay);

    // build-api sends no commit statuses (yet): no way out but Kafka, PostgreSQL and DNS
    assertThat(egress(m, "build-api", INTERNET, 443)).isFalse();
    // the router reads readiness from the Deployments' status, it never calls the apps
    assertThat(egress(m, "rollout-service", APP_POD, appPort(m))).isFalse();
    assertThat(egress(m, "rollout-service", INTERNET, 22)).isFalse();
    // git and the Go module proxy
    assertThat(egress(m, "build-worker", INTERNET, 443)).isTrue();
    assertThat(egress(m, "build-worker", INTERNET, 22)).isTrue();
  }

  static final Destination KAFKA =
      pod("gantry", Map.of("strimzi.io/cluster", "gantry", "strimzi.io/kind", "Kafka"));
  static final Destination DATABASE = pod("gantry", Map.of("cnpg.io/cluster", "gantry-db"));

  /** The three APIs the console reads, on their ports. */
  static final Map<String, Integer> CONSOLE_READS =
      Map.of("build-api", 8080, "rollout-service", 8082, "monitor-service", 8083);

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldLetTheConsoleReachTheThreeApisAndKafkaAndNothingElse(String overlay) {
    Manifests m = Manifests.overlay(overlay);

    CONSOLE_READS.forEach(
        (api, port) -> {
          assertThat(egress(m, "console", service(api), port)).as("console → " + api).isTrue();
          assertThat(ingress(m, api, service("console"), port))
              .as(api + " admits the console")
              .isTrue();
        });
    assertThat(egress(m, "console", KAFKA, 9092)).as("live updates").isTrue();
    assertThat(egress(m, "console", DATABASE, 5432)).as("it has no database").isFalse();
    assertThat(egress(m, "console", service("build-worker"), 8081)).isFalse();
    assertThat(egress(m, "console", INTERNET, 443)).isFalse();
    assertThat(egress(m, "console", API_SERVER, 6443)).as("it calls no Kubernetes API").isFalse();
    assertThat(ingress(m, "console", INTERNET, 8084)).as("browsers, from anywhere").isTrue();
    assertThat(ingress(m, "console", INTERNET, 9000)).isFalse();
  }

  /** Strimzi admits to the brokers only the pods its listener names: each service must be one. */
  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldAdmitEveryServiceToTheKafkaListener(String overlay) {
    Manifests m = Manifests.overlay(overlay);
    GenericKubernetesResource kafka =
        (GenericKubernetesResource) m.all("kafka.strimzi.io", "Kafka").get(0);
    List<Map<String, Object>> listeners = kafka.get("spec", "kafka", "listeners");
    ObjectMapper json = new ObjectMapper();
    List<NetworkPolicyPeer> peers =
        listeners.stream()
            .flatMap(
                l ->
                    ((List<?>) l.getOrDefault("networkPolicyPeers", List.of()))
                        .stream().map(p -> json.convertValue(p, NetworkPolicyPeer.class)))
            .toList();

    assertThat(m.all(Deployment.class))
        .extracting(d -> d.getMetadata().getName())
        .contains("console")
        .allSatisfy(
            name ->
                assertThat(
                        peers.stream()
                            .anyMatch(
                                peer -> NetworkPolicies.matches(m, "gantry", peer, service(name))))
                    .as(name + " is admitted to the Kafka listener")
                    .isTrue());
  }

  private static Destination service(String name) {
    return pod(
        "gantry", Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/part-of", "gantry"));
  }

  private static boolean ingress(Manifests m, String service, Destination from, int port) {
    return NetworkPolicies.allowsIngress(
        m,
        "gantry",
        Map.of("app.kubernetes.io/name", service, "app.kubernetes.io/part-of", "gantry"),
        from,
        port);
  }

  private static boolean egress(Manifests m, String service, Destination to, int port) {
    return NetworkPolicies.allowsEgress(
        m,
        "gantry",
        Map.of("app.kubernetes.io/name", service, "app.kubernetes.io/part-of", "gantry"),
        to,
        port);
  }

  /** The port the router gives every app, from rollout-service's ConfigMap. */
  private static int appPort(Manifests m) {
    return m.all(ConfigMap.class).stream()
        .filter(cm -> cm.getMetadata().getName().equals("rollout-service"))
        .map(cm -> cm.getData().get("GANTRY_ROUTER_KUBERNETES_APP_PORT"))
        .map(Integer::valueOf)
        .findFirst()
        .orElseThrow(() -> new AssertionError("rollout-service's ConfigMap sets no app port"));
  }
}

package dev.gantry.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every overlay, rendered by kubectl and parsed by fabric8, against what a cluster would need. */
class OverlaysTest {

  static final List<String> OVERLAYS = Manifests.OVERLAYS;

  static final Set<String> SERVICES =
      Set.of("build-api", "build-worker", "rollout-service", "monitor-service", "console");

  @Test
  void shouldCheckTheDevAndProdOverlaysAtLeast() {
    assertThat(OVERLAYS).contains("dev", "prod");
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldParseEveryDocumentIntoItsModelWhenRendered(String overlay) {
    Manifests m = Manifests.overlay(overlay);

    assertThat(ManifestChecks.models(m)).isEmpty();
    assertThat(m.all(Deployment.class))
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(SERVICES);
    assertThat(m.items())
        .filteredOn(GenericKubernetesResource.class::isInstance)
        .extracting(HasMetadata::getKind)
        .containsOnly("Kafka", "KafkaNodePool", "KafkaTopic", "Cluster", "ScaledObject");
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldDefineOneKafkaTopicForEachTopicOfTheEvents(String overlay) {
    Manifests m = Manifests.overlay(overlay);

    assertThat(ManifestChecks.topics(m)).isEmpty();
    assertThat(m.all("kafka.strimzi.io", "KafkaTopic"))
        .extracting(ManifestChecks::topicName)
        .containsExactlyInAnyOrderElementsOf(Sources.topics().values());
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldSelectExistingPodsWithEveryServiceAndPolicy(String overlay) {
    assertThat(ManifestChecks.selectors(Manifests.overlay(overlay))).isEmpty();
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldDefineEverythingItReferencesExceptTheDocumentedSecrets(String overlay) {
    Manifests m = Manifests.overlay(overlay);

    assertThat(ManifestChecks.references(m, ExternalSecrets.documented())).isEmpty();
    // the README lists exactly what an operator must create: nothing stale, nothing missing
    Set<String> referenced =
        ManifestChecks.secretRefs(m).stream()
            .map(ManifestChecks.SecretRef::name)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(referenced).containsExactlyInAnyOrderElementsOf(ExternalSecrets.documented());
    assertThat(m.all(io.fabric8.kubernetes.api.model.Secret.class))
        .as("secrets are referenced, never filled in")
        .isEmpty();
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldGiveEachServiceUsingPostgresItsSchemaOwnedByTheRoleItLogsInAs(String overlay) {
    Manifests m = Manifests.overlay(overlay);

    assertThat(ManifestChecks.database(m)).isEmpty();
    assertThat(ManifestChecks.connectionBudget(m)).isEmpty();
    // read from their application.properties: the check above looked at these three
    assertThat(ManifestChecks.postgresServices(m))
        .containsExactly("build-api", "monitor-service", "rollout-service");
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldLetOnlyBuildWorkerWriteTheSharedRoot(String overlay) {
    Manifests m = Manifests.overlay(overlay);

    assertThat(ManifestChecks.sharedRoot(m)).isEmpty();
    List<PersistentVolume> volumes = m.all(PersistentVolume.class);
    assertThat(volumes).hasSize(2);
    assertThat(volumes)
        .allSatisfy(
            pv -> {
              assertThat(pv.getSpec().getNfs().getServer()).isNotBlank();
              assertThat(pv.getSpec().getMountOptions())
                  .contains("hard", "noatime")
                  .anyMatch(o -> o.startsWith("nfsvers=4."))
                  .noneMatch(o -> o.equals("soft") || o.equals("nocto"));
            });
    // the same export, so artifacts written by the workers are what the apps' pods run
    assertThat(volumes)
        .extracting(pv -> pv.getSpec().getNfs().getServer() + ":" + pv.getSpec().getNfs().getPath())
        .containsOnly(
            volumes.get(0).getSpec().getNfs().getServer()
                + ":"
                + volumes.get(0).getSpec().getNfs().getPath());
    assertThat(m.all(PersistentVolumeClaim.class))
        .filteredOn(pvc -> pvc.getMetadata().getNamespace().equals("gantry-apps"))
        .singleElement()
        .satisfies(
            pvc -> assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadOnlyMany"));
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldProbeHealthOnTheServicePortsWithAHeapThatFitsTheLimit(String overlay) {
    assertThat(ManifestChecks.containers(Manifests.overlay(overlay))).isEmpty();
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldScaleWorkersOnLagUpToThePartitionsOfBuildRequests(String overlay) {
    Manifests m = Manifests.overlay(overlay);

    assertThat(ManifestChecks.scaling(m)).isEmpty();
    assertThat(m.all("keda.sh", "ScaledObject")).hasSize(1);
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldMountNoApiTokenIntoPodsWhoseAccountIsBoundToNoRole(String overlay) {
    Manifests m = Manifests.overlay(overlay);
    Set<String> bound =
        m.all(RoleBinding.class).stream()
            .flatMap(rb -> rb.getSubjects().stream())
            .map(s -> s.getNamespace() + "/" + s.getName())
            .collect(Collectors.toSet());

    for (Deployment d : m.all(Deployment.class)) {
      var pod = d.getSpec().getTemplate().getSpec();
      String account = d.getMetadata().getNamespace() + "/" + pod.getServiceAccountName();
      ServiceAccount sa =
          (ServiceAccount)
              m.find(
                      "",
                      "ServiceAccount",
                      d.getMetadata().getNamespace(),
                      pod.getServiceAccountName())
                  .orElseThrow();
      // the pod's own setting wins over its account's
      Boolean automount =
          pod.getAutomountServiceAccountToken() != null
              ? pod.getAutomountServiceAccountToken()
              : sa.getAutomountServiceAccountToken();
      if (bound.contains(account)) {
        assertThat(automount)
            .as(account + " calls the API: it needs its token")
            .isNotEqualTo(false);
      } else {
        assertThat(automount)
            .as(account + " may call nothing: a token in its pods is only something to steal")
            .isFalse();
      }
    }
    assertThat(bound).contains("gantry/rollout-service", "gantry/monitor-service");
    // the console reads Gantry's own APIs only
    assertThat(bound).doesNotContain("gantry/console");
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldLinkPagesToTheConsolesPublicAddressAndSendItsCookieOverHttpsOnly(String overlay) {
    Manifests m = Manifests.overlay(overlay);
    Map<String, String> console = env(m, "console");
    Map<String, String> monitor = env(m, "monitor-service");

    assertThat(console.get("GANTRY_CONSOLE_PUBLIC_URL")).startsWith("http");
    assertThat(monitor.get("GANTRY_MONITOR_ALERTS_CONSOLE_URL"))
        .as("the evidence link of every page")
        .isEqualTo(console.get("GANTRY_CONSOLE_PUBLIC_URL"));
    assertThat(console).containsEntry("GANTRY_CONSOLE_SECURE_COOKIE", "true");
    CONSOLE_UPSTREAMS.forEach(
        (setting, service) ->
            assertThat(console.get(setting))
                .as(setting)
                .isEqualTo("http://" + service + ".gantry.svc:" + servicePort(m, service)));
    // the same tokens as the APIs it reads, from the same Secret
    assertThat(ManifestChecks.secretRefs(m))
        .filteredOn(ref -> ref.from().contains("gantry/console"))
        .extracting(ManifestChecks.SecretRef::name)
        .containsOnly("gantry-api-tokens");
  }

  static final Map<String, String> CONSOLE_UPSTREAMS =
      Map.of(
          "GANTRY_CONSOLE_BUILD_API_URL", "build-api",
          "GANTRY_CONSOLE_ROLLOUT_URL", "rollout-service",
          "GANTRY_CONSOLE_MONITOR_URL", "monitor-service");

  private static Map<String, String> env(Manifests m, String deployment) {
    Deployment d =
        m.all(Deployment.class).stream()
            .filter(x -> x.getMetadata().getName().equals(deployment))
            .findFirst()
            .orElseThrow();
    return ManifestChecks.effectiveEnv(
        m,
        d.getMetadata().getNamespace(),
        d.getSpec().getTemplate().getSpec().getContainers().get(0));
  }

  private static int servicePort(Manifests m, String name) {
    return m.all(io.fabric8.kubernetes.api.model.Service.class).stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getSpec()
        .getPorts()
        .get(0)
        .getPort();
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldGrantTheRouterAndTheMonitorOnlyWhatTheyUseInTheAppsNamespace(String overlay) {
    Manifests m = Manifests.overlay(overlay);

    assertThat(m.all(ClusterRole.class)).isEmpty();
    assertThat(m.all(ClusterRoleBinding.class)).isEmpty();
    // what the two accounts may do: RouterRoleTest and MonitorRoleTest, from the requests
    // their calls send
    assertThat(m.all(RoleBinding.class))
        .allSatisfy(rb -> assertThat(rb.getMetadata().getNamespace()).isEqualTo("gantry-apps"));
    assertThat(m.all(Role.class))
        .flatExtracting(Role::getRules)
        .allSatisfy(
            rule ->
                assertThat(rule.getVerbs())
                    .doesNotContain("*")
                    .satisfies(v -> assertThat(rule.getResources()).doesNotContain("*")));
  }
}

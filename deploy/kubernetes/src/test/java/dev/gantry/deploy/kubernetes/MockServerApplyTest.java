package dev.gantry.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What {@code kubectl apply -k} would send, sent to the fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class MockServerApplyTest {

  static final List<String> OVERLAYS = Manifests.OVERLAYS;

  /**
   * The operators' resources at the versions they serve. A resource at another group, version or
   * kind has no API here and fails to apply, as it would in a cluster without that CRD.
   */
  static final List<CustomResourceDefinitionContext> OPERATOR_APIS =
      List.of(
          crd("kafka.strimzi.io", "v1beta2", "Kafka", "kafkas"),
          crd("kafka.strimzi.io", "v1beta2", "KafkaNodePool", "kafkanodepools"),
          crd("kafka.strimzi.io", "v1beta2", "KafkaTopic", "kafkatopics"),
          crd("postgresql.cnpg.io", "v1", "Cluster", "clusters"),
          crd("keda.sh", "v1alpha1", "ScaledObject", "scaledobjects"));

  KubernetesMockServer server;
  KubernetesClient client;

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldApplyCleanlyAndAgainWhenSentToAnApiServer(String overlay) {
    OPERATOR_APIS.forEach(server::expectCustomResource);
    Manifests m = Manifests.overlay(overlay);

    // twice: the second apply of unchanged manifests must update in place, not conflict
    for (int round = 0; round < 2; round++) {
      for (HasMetadata item : m.items()) {
        client.resource(item).createOr(NonDeletingOperation::update);
      }
    }

    for (HasMetadata item : m.items()) {
      HasMetadata stored = client.resource(item).get();
      assertThat(stored).as(Manifests.id(item)).isNotNull();
      assertThat(stored.getMetadata().getLabels()).isEqualTo(item.getMetadata().getLabels());
    }
    assertThat(client.apps().deployments().inNamespace("gantry").list().getItems())
        .extracting(Deployment::getMetadata)
        .extracting(meta -> meta.getName())
        .containsExactlyInAnyOrder(
            "build-api", "build-worker", "rollout-service", "monitor-service", "console");
    assertThat(
            client
                .genericKubernetesResources("kafka.strimzi.io/v1beta2", "KafkaTopic")
                .inNamespace("gantry")
                .list()
                .getItems())
        .extracting(ManifestChecks::topicName)
        .containsExactlyInAnyOrderElementsOf(Sources.topics().values());
    assertThat(client.rbac().roles().inNamespace("gantry-apps").list().getItems()).hasSize(2);
  }

  private static CustomResourceDefinitionContext crd(
      String group, String version, String kind, String plural) {
    return new CustomResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withScope("Namespaced")
        .build();
  }
}

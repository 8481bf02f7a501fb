package dev.gantry.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.deploy.kubernetes.ApiRequests.Call;
import dev.gantry.deploy.kubernetes.ApiRequests.Grant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The Role of rollout-service's Kubernetes router, against the requests its calls really send
 * ({@link ApiRequests}).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class RouterRoleTest {

  static final List<String> OVERLAYS = Manifests.OVERLAYS;

  KubernetesMockServer server;
  KubernetesClient client;
  private ApiRequests requests;

  @BeforeEach
  void recordFromHere() {
    requests = new ApiRequests(server, client);
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldGrantTheRouterExactlyTheVerbsOfTheCallsItMakes(String overlay) throws Exception {
    Map<String, Set<String>> needed = requests.needed(RouterApiCalls.all());

    assertThat(ManifestChecks.grants(Manifests.overlay(overlay), "rollout-service"))
        .as("the Role of rollout-service in %s (rbac/rollout-service.yaml)", overlay)
        .isEqualTo(needed);
  }

  /** The fact the Role's deletecollection rests on: deleteAll() is one collection DELETE. */
  @Test
  void shouldDeleteAnAppsObjectsByLabelWithOneCollectionDelete() throws Exception {
    Call byLabel =
        RouterApiCalls.all().stream()
            .filter(c -> c.where().equals("Deployment: withLabels().delete()"))
            .findFirst()
            .orElseThrow();

    assertThat(requests.grantsOf(byLabel))
        .containsExactly(new Grant("deployments.apps", "deletecollection"));
  }

  @Test
  void shouldTellAGetOfOneObjectFromAListAndAWatch() {
    assertThat(Grant.of("GET", "/api/v1/namespaces/gantry-apps/services/shop"))
        .isEqualTo(new Grant("services", "get"));
    assertThat(Grant.of("GET", "/apis/apps/v1/namespaces/gantry-apps/deployments?labelSelector=a"))
        .isEqualTo(new Grant("deployments.apps", "list"));
    assertThat(Grant.of("GET", "/apis/apps/v1/namespaces/gantry-apps/deployments?watch=true"))
        .isEqualTo(new Grant("deployments.apps", "watch"));
    assertThat(Grant.of("PATCH", "/apis/apps/v1/namespaces/gantry-apps/deployments/a/scale"))
        .isEqualTo(new Grant("deployments.apps/scale", "patch"));
  }
}

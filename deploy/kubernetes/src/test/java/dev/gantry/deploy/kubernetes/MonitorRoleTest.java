package dev.gantry.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The Role of monitor-service (rbac/monitor-service.yaml), against the requests its calls really
 * send ({@link ApiRequests}, {@link MonitorApiCalls}).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class MonitorRoleTest {

  static final List<String> OVERLAYS = Manifests.OVERLAYS;

  static final Path MAIN = Sources.REPO.resolve("monitor-service/src/main/java");

  KubernetesMockServer server;
  KubernetesClient client;
  private ApiRequests requests;

  @BeforeEach
  void recordFromHere() {
    requests = new ApiRequests(server, client);
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldGrantTheMonitorExactlyTheVerbsOfTheCallsItMakes(String overlay) throws Exception {
    Map<String, Set<String>> needed = requests.needed(MonitorApiCalls.all());

    assertThat(needed).containsExactly(Map.entry("pods", Set.of("list")));
    assertThat(ManifestChecks.grantsExactly(Manifests.overlay(overlay), "monitor-service", needed))
        .isEmpty();
  }

  @Test
  void shouldNameTheVerbsNoCallNeedsWhenTheRoleGrantsMore() throws Exception {
    Map<String, Set<String>> needed = requests.needed(MonitorApiCalls.all());

    assertThat(
            ManifestChecks.grantsExactly(
                Manifests.fixture("monitor-role-too-wide"), "monitor-service", needed))
        .containsExactly(
            "ServiceAccount monitor-service is granted [get, watch] on pods, which none of its calls"
                + " needs");
  }

  /** The hand-kept list of calls stays complete only while no other class takes up the client. */
  @Test
  void shouldFindTheClientOnlyInTheClassesWhoseCallsAreListed() throws IOException {
    List<String> holders;
    try (Stream<Path> files = Files.walk(MAIN)) {
      holders =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> read(f).contains("io.fabric8.kubernetes.client.KubernetesClient"))
              .map(f -> MAIN.relativize(f).toString())
              .sorted()
              .toList();
    }

    assertThat(holders).containsExactlyElementsOf(MonitorApiCalls.CLIENT_HOLDERS);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }
}

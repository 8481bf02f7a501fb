package dev.gantry.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md's section on the Kubernetes router against the router's own source (read as text, as
 * ManifestChecks reads the services' application.properties: this module depends on no service
 * module): the labels it sets and where the binary is mounted, so the README cannot drift again.
 */
class RouterReadmeTest {

  static final Path ROUTER =
      Manifests.MODULE
          .resolve("../../rollout-service/src/main/java/dev/gantry/rollout/router/kubernetes")
          .normalize();
  static final Path CONFIG =
      Manifests.MODULE
          .resolve(
              "../../rollout-service/src/main/java/dev/gantry/rollout/config/RolloutConfig.java")
          .normalize();

  @Test
  void shouldNameTheLabelsTheRouterSetsWhenDescribingItsResources() throws IOException {
    Map<String, String> labels = labelConstants();
    assertThat(labels).containsKeys("NAME", "TRACK", "VERSION", "MANAGED_BY");

    String section = routerSection();
    for (String label : labels.values()) {
      assertThat(section).as("README's router section names label " + label).contains(label + "=");
    }
  }

  @Test
  void shouldGiveTheBinarysPathUnderTheMountPathTheRouterUses() throws IOException {
    assertThat(CONFIG).as("rollout-service's router settings").isRegularFile();
    Matcher def =
        Pattern.compile("@WithName\\(\"shared-mount-path\"\\)\\s*@WithDefault\\(\"([^\"]+)\"\\)")
            .matcher(Files.readString(CONFIG));
    assertThat(def.find()).as("gantry.router.kubernetes.shared-mount-path's default").isTrue();
    // what the overlays set wins over the default
    String mountPath =
        Manifests.overlay("prod").all(ConfigMap.class).stream()
            .filter(cm -> cm.getMetadata().getName().equals("rollout-service"))
            .map(cm -> cm.getData().get("GANTRY_ROUTER_KUBERNETES_SHARED_MOUNT_PATH"))
            .filter(v -> v != null)
            .findFirst()
            .orElse(def.group(1));

    assertThat(routerSection())
        .contains("`" + mountPath + "/artifacts/shop/<version>/linux_amd64/shop`")
        .contains("GANTRY_ROUTER_KUBERNETES_SHARED_MOUNT_PATH");
  }

  /** {@code static final String X = "label";} in KubernetesResources for the labels it sets. */
  private static Map<String, String> labelConstants() throws IOException {
    Path file = ROUTER.resolve("KubernetesResources.java");
    assertThat(file).as("rollout-service's Kubernetes resources").isRegularFile();
    Matcher constant =
        Pattern.compile("static final String (NAME|TRACK|VERSION|MANAGED_BY) = \"([^\"]+)\";")
            .matcher(Files.readString(file));
    Map<String, String> labels = new LinkedHashMap<>();
    while (constant.find()) {
      labels.put(constant.group(1), constant.group(2));
    }
    return labels;
  }

  private static String routerSection() throws IOException {
    String readme = Files.readString(ExternalSecrets.README);
    int start = readme.indexOf("## How the Kubernetes router maps to these resources");
    assertThat(start).as("README.md has the router section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 3);
    return end < 0 ? readme.substring(start) : readme.substring(start, end);
  }
}

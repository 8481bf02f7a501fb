package dev.gantry.rollout.router.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/** The Kubernetes router as the tests here run it against the mock server. */
final class TestRouters {
  private TestRouters() {}

  /**
   * A router deploying to {@code namespace} that gives Deployments {@code readiness} to become
   * available, polling every 10 ms.
   */
  static KubernetesRouter router(KubernetesClient client, String namespace, Duration readiness) {
    return new KubernetesRouter(
        client,
        new KubernetesRouterSettings(
            namespace,
            "gcr.io/distroless/static-debian12",
            "gantry-shared",
            "/gantry",
            8080,
            4,
            readiness,
            Duration.ofMillis(10)));
  }
}

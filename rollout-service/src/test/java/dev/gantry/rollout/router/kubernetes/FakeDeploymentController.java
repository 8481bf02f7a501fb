package dev.gantry.rollout.router.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The part of the Deployment controller the router waits for, which the mock server does not run:
 * every few milliseconds, each Deployment's status is set to all of its pods updated, ready and
 * available, except for versions told to {@link #neverReady}, whose pods never become ready.
 */
public final class FakeDeploymentController implements AutoCloseable {
  private final KubernetesClient client;
  private final Set<String> neverReady = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  public FakeDeploymentController(KubernetesClient client) {
    this.client = client;
    timer.scheduleWithFixedDelay(this::reconcile, 0, 20, TimeUnit.MILLISECONDS);
  }

  /** Pods of this version (its {@code gantry.dev/version} label) never become ready. */
  public void neverReady(String versionLabel) {
    neverReady.add(versionLabel);
  }

  private void reconcile() {
    try {
      for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
        if (neverReady.contains(d.getMetadata().getLabels().get(KubernetesResources.VERSION))) {
          continue;
        }
        int replicas = d.getSpec().getReplicas();
        Long generation = d.getMetadata().getGeneration();
        var status = d.getStatus();
        if (status != null
            && Objects.equals(status.getReadyReplicas(), replicas)
            && Objects.equals(status.getObservedGeneration(), generation)) {
          continue;
        }
        client
            .apps()
            .deployments()
            .inNamespace(d.getMetadata().getNamespace())
            .withName(d.getMetadata().getName())
            .editStatus(
                current ->
                    new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(current)
                        .withStatus(
                            new DeploymentStatusBuilder()
                                .withObservedGeneration(generation)
                                .withReplicas(replicas)
                                .withUpdatedReplicas(replicas)
                                .withReadyReplicas(replicas)
                                .withAvailableReplicas(replicas)
                                .build())
                        .build());
      }
    } catch (KubernetesClientException e) {
      // a Deployment changed or went away meanwhile: the next round sees it as it is now
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

package dev.gantry.rollout.router.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

/** The readiness rule on its own: the mock server's status is only what a test writes into it. */
class DeploymentAvailabilityTest {

  @Test
  void shouldBeAvailableWhenEveryPodOfTheLatestSpecIsReady() {
    assertThat(KubernetesRouter.available(deployment(3, 2L, 2L, 3, 3, 3, 3))).isTrue();
  }

  @Test
  void shouldNotBeAvailableWhenTheControllerHasNotSeenTheLatestSpec() {
    // status still describes generation 1: the pods counted run the old version
    assertThat(KubernetesRouter.available(deployment(3, 2L, 1L, 3, 3, 3, 3))).isFalse();
  }

  @Test
  void shouldNotBeAvailableWhilePodsOfTheOldSpecAreLeft() {
    assertThat(KubernetesRouter.available(deployment(3, 2L, 2L, 4, 3, 3, 3))).isFalse();
  }

  @Test
  void shouldNotBeAvailableWhenSomePodsAreNotReady() {
    assertThat(KubernetesRouter.available(deployment(3, 2L, 2L, 3, 3, 2, 2))).isFalse();
    assertThat(KubernetesRouter.available(deployment(3, 2L, 2L, 3, 2, 3, 3))).isFalse();
  }

  @Test
  void shouldBeAvailableAtOnceWhenNoPodIsWanted() {
    assertThat(
            KubernetesRouter.available(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(0)
                    .endSpec()
                    .build()))
        .isTrue();
  }

  @Test
  void shouldNotBeAvailableWithoutStatusOrWhenGone() {
    assertThat(
            KubernetesRouter.available(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(1)
                    .endSpec()
                    .build()))
        .isFalse();
    assertThat(KubernetesRouter.available(null)).isFalse();
  }

  private static Deployment deployment(
      int wanted,
      Long generation,
      Long observed,
      int replicas,
      int updated,
      int ready,
      int available) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withGeneration(generation)
        .endMetadata()
        .withNewSpec()
        .withReplicas(wanted)
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(observed)
        .withReplicas(replicas)
        .withUpdatedReplicas(updated)
        .withReadyReplicas(ready)
        .withAvailableReplicas(available)
        .endStatus()
        .build();
  }
}

package dev.gantry.rollout.router.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaRatioTest {

  @ParameterizedTest
  @CsvSource({
    // stable, weight, canary pods, stable pods
    "4, 0, 0, 4",
    "4, 1, 1, 4",
    "4, 5, 1, 4",
    "4, 25, 1, 4",
    "4, 30, 2, 4",
    "4, 50, 4, 4",
    "4, 75, 12, 4",
    "4, 95, 36, 4",
    "4, 100, 4, 0",
    "10, 5, 1, 10",
    "10, 25, 3, 10",
  })
  void shouldGiveTheCanaryTheClosestShareWhenScalingByReplicas(
      int stable, int weight, int canaryPods, int stablePods) {
    assertThat(ReplicaRatio.canaryReplicas(stable, weight)).isEqualTo(canaryPods);
    assertThat(ReplicaRatio.stableReplicas(stable, weight)).isEqualTo(stablePods);
  }

  @ParameterizedTest
  @CsvSource({"4, 0, 1", "4, 5, 1", "4, 25, 1", "4, 50, 2", "4, 100, 4", "10, 25, 3"})
  void shouldGiveTheCanaryItsShareOfPodsBehindAGateway(int stable, int weight, int canaryPods) {
    assertThat(ReplicaRatio.canaryReplicasBehindGateway(stable, weight)).isEqualTo(canaryPods);
  }
}

package dev.gantry.rollout.router.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaRatioTest {

  @ParameterizedTest
  @CsvSource({
    // stable, weight, canary pods
    "4, 0, 0",
    "4, 1, 1",
    "4, 5, 1",
    "4, 25, 1",
    "4, 30, 2",
    "4, 50, 4",
    "4, 75, 12",
    "4, 95, 36",
    "4, 100, 4",
    "10, 5, 1",
    "10, 25, 3",
  })
  void shouldGiveTheCanaryTheClosestShareWhenScalingByReplicas(
      int stable, int weight, int canaryPods) {
    assertThat(ReplicaRatio.canaryReplicas(stable, weight)).isEqualTo(canaryPods);
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "both",
      value = {
        // stable runs, canary runs, weight, the one track the Service selects
        "true, false, 0, stable",
        "true, true, 0, stable",
        "true, true, 5, both",
        "true, true, 99, both",
        "true, true, 100, canary",
        "false, true, 100, canary",
      })
  void shouldSelectTheTracksThatTakeTraffic(
      boolean stable, boolean canary, int weight, String track) {
    assertThat(ReplicaRatio.selectedTrack(stable, canary, weight)).isEqualTo(track);
  }

  @ParameterizedTest
  @CsvSource({"4, 0, 1", "4, 5, 1", "4, 25, 1", "4, 50, 2", "4, 100, 4", "10, 25, 3"})
  void shouldGiveTheCanaryItsShareOfPodsBehindAGateway(int stable, int weight, int canaryPods) {
    assertThat(ReplicaRatio.canaryReplicasBehindGateway(stable, weight)).isEqualTo(canaryPods);
  }
}

package dev.gantry.buildapi.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrafficTest {

  @Test
  void shouldServeItsOwnWeightWhenItIsTheCanary() {
    assertThat(Traffic.percentNow(DeploymentPhase.PROGRESSING, 25, false, null)).isEqualTo(25);
    assertThat(Traffic.percentNow(DeploymentPhase.PAUSED, 50, false, null)).isEqualTo(50);
  }

  @Test
  void shouldServeWhatANewerCanaryDoesNotWhenItIsTheStable() {
    assertThat(Traffic.percentNow(DeploymentPhase.PROMOTED, 100, false, null)).isEqualTo(100);
    assertThat(Traffic.percentNow(DeploymentPhase.PROMOTED, 100, false, 25)).isEqualTo(75);
  }

  @Test
  void shouldServeNothingWhenSupersededAbortedOrRolledBack() {
    assertThat(Traffic.percentNow(DeploymentPhase.PROMOTED, 100, true, null)).isZero();
    assertThat(Traffic.percentNow(DeploymentPhase.ABORTED, 0, false, null)).isZero();
    assertThat(Traffic.percentNow(DeploymentPhase.ROLLED_BACK, 0, false, null)).isZero();
  }
}

package dev.gantry.buildapi.domain;

import static dev.gantry.buildapi.domain.DeploymentPhase.ABORTED;
import static dev.gantry.buildapi.domain.DeploymentPhase.PAUSED;
import static dev.gantry.buildapi.domain.DeploymentPhase.PROGRESSING;
import static dev.gantry.buildapi.domain.DeploymentPhase.PROMOTED;
import static dev.gantry.buildapi.domain.DeploymentPhase.ROLLED_BACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrailPositionTest {
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void shouldKeepALaterStepWhenAnOlderStepArrivesAfterIt() {
    TrailPosition stored = at("r1", PROGRESSING, 2, 20);

    assertThat(stored.isOvertakenBy(at("r1", PROGRESSING, 1, 30))).isFalse();
    assertThat(stored.isOvertakenBy(at("r1", PROGRESSING, null, 30))).isFalse();
    assertThat(stored.isOvertakenBy(at("r1", PROGRESSING, 3, 10))).isTrue();
  }

  @Test
  void shouldTakeAResumeWhenTheSameStepIsReportedLater() {
    TrailPosition paused = at("r1", PAUSED, 1, 20);

    assertThat(paused.isOvertakenBy(at("r1", PROGRESSING, 1, 25))).isTrue();
    assertThat(paused.isOvertakenBy(at("r1", PROGRESSING, 1, 15))).isFalse();
  }

  @Test
  void shouldTreatADuplicateAsNothingNewWhenItIsReportedAgain() {
    TrailPosition stored = at("r1", PROGRESSING, 1, 20);

    assertThat(stored.isOvertakenBy(at("r1", PROGRESSING, 1, 20))).isFalse();
  }

  @Test
  void shouldNeverReopenAFinishedRolloutWhenLateReportsArrive() {
    for (DeploymentPhase finished : new DeploymentPhase[] {PROMOTED, ABORTED, ROLLED_BACK}) {
      TrailPosition stored = at("r1", finished, 1, 20);

      assertThat(stored.isOvertakenBy(at("r1", PROGRESSING, 3, 40))).isFalse();
      assertThat(stored.isOvertakenBy(at("r1", ROLLED_BACK, 3, 40))).isFalse();
    }
  }

  @Test
  void shouldFinishARolloutWhateverStepItReportsWhenItIsStillRunning() {
    TrailPosition stored = at("r1", PROGRESSING, 2, 20);

    assertThat(stored.isOvertakenBy(at("r1", ROLLED_BACK, 1, 10))).isTrue();
    assertThat(stored.isOvertakenBy(at("r1", PROMOTED, null, 10))).isTrue();
  }

  @Test
  void shouldReplaceARolloutWithAnotherOfTheSameBuildOnlyWhenItHappenedLater() {
    TrailPosition stored = at("r1", ROLLED_BACK, 1, 20);

    assertThat(stored.isOvertakenBy(at("r2", PROGRESSING, null, 30))).isTrue();
    assertThat(stored.isOvertakenBy(at("r0", PROGRESSING, 3, 10))).isFalse();
  }

  private static TrailPosition at(String rollout, DeploymentPhase phase, Integer step, int secs) {
    return new TrailPosition(rollout, phase, step, T.plusSeconds(secs));
  }
}

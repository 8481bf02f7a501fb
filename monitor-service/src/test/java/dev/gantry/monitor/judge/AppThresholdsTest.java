package dev.gantry.monitor.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AppThresholdsTest {
  private static final Thresholds DEFAULTS = JudgeTest.TH;

  @Test
  void shouldTakeAnAppsOwnThresholdAndTheServiceWideOnesForTheRest() {
    AppThresholds t =
        new AppThresholds(
            DEFAULTS,
            Map.of(
                "quiet-shop", Map.of("min-requests", "10", "max-latency-ratio", "2.5"),
                "big-heap", Map.of("min-heap-growth-bytes", "536870912")));

    Thresholds quiet = t.of("quiet-shop");
    assertThat(quiet.minRequests()).isEqualTo(10);
    assertThat(quiet.maxLatencyRatio()).isEqualTo(2.5);
    assertThat(quiet.minHeapGrowthBytes()).isEqualTo(DEFAULTS.minHeapGrowthBytes());
    assertThat(quiet.windowSamples()).isEqualTo(12);
    assertThat(t.of("big-heap").minHeapGrowthBytes()).isEqualTo(536870912.0);
    assertThat(t.of("big-heap").minRequests()).isEqualTo(50);
    assertThat(t.of("anyone-else")).isEqualTo(DEFAULTS);
  }

  @Test
  void shouldRefuseAKeyThatIsNoThresholdAndAValueThatIsNoNumber() {
    assertThatThrownBy(
            () ->
                new AppThresholds(
                    DEFAULTS, Map.of("shop", Map.of("min-request", "10", "alpha", "often"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gantry.monitor.apps.shop.judge.min-request is not a threshold")
        .hasMessageContaining("min-requests")
        .hasMessageContaining("gantry.monitor.apps.shop.judge.alpha must be a number");
  }

  @Test
  void shouldRefuseThresholdsForAnAppNoAppCouldBeCalled() {
    // they would never apply: rollout events only ever name apps by the shared rule
    assertThatThrownBy(
            () ->
                new AppThresholds(
                    DEFAULTS,
                    Map.of(
                        "Quiet-Shop", Map.of("min-requests", "10"),
                        "shop", Map.of("min-requests", "10"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gantry.monitor.apps.Quiet-Shop names no app")
        .hasMessageContaining("lower-case letters")
        .hasMessageNotContaining("apps.shop");
  }

  @Test
  void shouldRefuseALongestWindowShorterThanTheWindow() {
    assertThatThrownBy(
            () -> new AppThresholds(DEFAULTS, Map.of("shop", Map.of("window-samples", "40"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "gantry.monitor.apps.shop.judge.max-window-samples (36) must be at least"
                + " gantry.monitor.apps.shop.judge.window-samples (40)");
    assertThat(
            new AppThresholds(
                    DEFAULTS,
                    Map.of("shop", Map.of("window-samples", "40", "max-window-samples", "60")))
                .of("shop")
                .maxWindowSamples())
        .isEqualTo(60);
  }
}

package dev.gantry.monitor.judge;

import dev.gantry.monitor.config.MonitorConfig;

/** The limits one judgement is held to (see {@link MonitorConfig.Judge} for their meaning). */
public record Thresholds(
    int windowSamples,
    int maxWindowSamples,
    int minValidSamples,
    int maxMissingInARow,
    double alpha,
    int trendWindow,
    double minGoroutineGrowth,
    double minHeapGrowthBytes,
    long minRequests,
    double minErrorRatioIncrease,
    double maxErrorRatioWithoutStable,
    int minLatencyIntervals,
    double maxLatencyRatio,
    double minLatencyIncreaseSeconds,
    double saturatedLoadPerCore,
    double hostLoadMargin,
    double maxCpuPerRequestRatio,
    double minCpuPerRequestIncreaseSeconds,
    double minCpuRequestsPerInterval) {

  public static Thresholds of(MonitorConfig.Judge c) {
    return new Thresholds(
        c.windowSamples(),
        c.maxWindowSamples(),
        c.minValidSamples(),
        c.maxMissingInARow(),
        c.alpha(),
        c.trendWindow(),
        c.minGoroutineGrowth(),
        c.minHeapGrowthBytes(),
        c.minRequests(),
        c.minErrorRatioIncrease(),
        c.maxErrorRatioWithoutStable(),
        c.minLatencyIntervals(),
        c.maxLatencyRatio(),
        c.minLatencyIncreaseSeconds(),
        c.saturatedLoadPerCore(),
        c.hostLoadMargin(),
        c.maxCpuPerRequestRatio(),
        c.minCpuPerRequestIncreaseSeconds(),
        c.minCpuRequestsPerInterval());
  }

  /** Samples a leak needs: two overlapping trend windows, the second shifted by half a window. */
  public int trendSamples() {
    return trendWindow + trendWindow / 2;
  }
}

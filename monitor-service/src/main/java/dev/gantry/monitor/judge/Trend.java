package dev.gantry.monitor.judge;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Mann-Kendall trend test (normal approximation with the tie correction) and the Theil-Sen
 * slope, over points {@code (t seconds, y)}.
 *
 * @param pIncreasing one-sided p-value of "y increases with t"
 * @param slopePerSecond the median of all pairwise slopes
 */
public record Trend(int n, long s, double z, double pIncreasing, double slopePerSecond) {
  private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

  public static Trend of(double[] t, double[] y) {
    int n = y.length;
    if (n < 3 || t.length != n) {
      return new Trend(n, 0, 0, 1, 0);
    }
    long s = 0;
    double[] slopes = new double[n * (n - 1) / 2];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        s += Double.compare(y[j], y[i]);
        double dt = t[j] - t[i];
        slopes[k++] = dt == 0 ? 0 : (y[j] - y[i]) / dt;
      }
    }
    double variance = (n * (n - 1.0) * (2 * n + 5)) / 18.0 - tieCorrection(y);
    double z = 0;
    if (variance > 0 && s != 0) {
      z = (s - Math.signum(s)) / Math.sqrt(variance);
    }
    double p = variance > 0 ? 1 - STANDARD.cumulativeProbability(z) : 1;
    Arrays.sort(slopes, 0, k);
    double median = k % 2 == 1 ? slopes[k / 2] : (slopes[k / 2 - 1] + slopes[k / 2]) / 2;
    return new Trend(n, s, z, p, median);
  }

  private static double tieCorrection(double[] y) {
    double[] sorted = y.clone();
    Arrays.sort(sorted);
    double correction = 0;
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
        j++;
      }
      int ties = j - i + 1;
      if (ties > 1) {
        correction += ties * (ties - 1.0) * (2 * ties + 5) / 18.0;
      }
      i = j + 1;
    }
    return correction;
  }
}

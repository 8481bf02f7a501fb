package dev.gantry.monitor.judge;

import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.Evidence.GrownStack;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.monitor.scrape.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * Compares a canary's samples with the stable version's over one step. A pure function: the same
 * samples always give the same judgement, so it is tested without a network.
 *
 * <p>FAIL comes as soon as one check is confident; PASS only when the window is complete, every
 * check had enough data and none failed. A complete window that is only short of data (too few
 * complete scrapes, requests, intervals with requests or trend samples) keeps collecting up to
 * {@code maxWindowSamples} rounds or the step's deadline, and is INCONCLUSIVE only then; any other
 * INCONCLUSIVE (a target that stopped answering, a saturated host) comes at once. Without a stable
 * version (a first deploy) the canary is held to absolute limits: no growth beyond the minimum, and
 * a 5xx ratio below {@code maxErrorRatioWithoutStable}.
 */
public final class Judge {
  static final int MAX_STACKS = 5;

  private final Thresholds th;

  public Judge(Thresholds thresholds) {
    this.th = thresholds;
  }

  /**
   * @param stable null when there is no stable version
   * @param rounds scrape rounds of this step so far
   * @param deadlineNear whether the step's deadline is too close for another round to matter: the
   *     window is then over, and nothing more is waited for
   * @return empty while the window is not over, or while it is over but short of data and may still
   *     grow (up to {@code maxWindowSamples} rounds)
   */
  public Optional<Judgement> evaluate(
      List<Sample> canary, List<Sample> stable, int rounds, boolean deadlineNear) {
    boolean complete = deadlineNear || rounds >= th.windowSamples();
    Optional<Judgement> j = judge(canary, stable, complete);
    boolean canGrow = !deadlineNear && rounds < th.maxWindowSamples();
    if (j.isPresent() && j.get().shortOfData()) {
      if (canGrow) {
        return Optional.empty();
      }
      if (rounds > th.windowSamples()) {
        Judgement wanting = j.get();
        return Optional.of(
            Judgement.wantingData(
                wanting.evidence(), wanting.reason() + " (still, after " + rounds + " rounds)"));
      }
    }
    return j;
  }

  /**
   * FAIL as soon as a check is confident, an INCONCLUSIVE that more data cannot change at once;
   * PASS or the rest of the INCONCLUSIVEs only once the window is complete. A check is INCONCLUSIVE
   * only when it has too little data, so an INCONCLUSIVE for a check or for too few complete
   * scrapes is {@link Judgement#shortOfData()}.
   */
  private Optional<Judgement> judge(
      List<Sample> canary, List<Sample> stable, boolean windowComplete) {
    Optional<String> gap = missingInARow(canary, "canary");
    if (gap.isEmpty() && stable != null) {
      gap = missingInARow(stable, "stable");
    }
    if (gap.isPresent()) {
      Evidence e =
          new Evidence(
              "data",
              Verdict.INCONCLUSIVE,
              null,
              null,
              (double) th.maxMissingInARow(),
              "scrapes",
              gap.get(),
              List.of());
      return Optional.of(Judgement.of(Verdict.INCONCLUSIVE, List.of(e), gap.get()));
    }
    List<Evidence> checks = new ArrayList<>();
    checks.add(
        trend(
            "goroutines",
            "count",
            Sample::goroutines,
            th.minGoroutineGrowth(),
            canary,
            stable,
            true));
    checks.add(
        trend(
            "heap_inuse_bytes",
            "bytes",
            Sample::heapInuseBytes,
            th.minHeapGrowthBytes(),
            canary,
            stable,
            false));
    List<Sample> requestBaseline = servedNoRequests(stable) ? null : stable;
    checks.add(errors(canary, requestBaseline));
    checks.add(latency(canary, requestBaseline));
    checks.add(cpuPerRequest(canary, requestBaseline));
    checks.removeIf(e -> e == null);
    List<Evidence> failed = checks.stream().filter(e -> e.verdict() == Verdict.FAIL).toList();
    if (!failed.isEmpty()) {
      Optional<Evidence> busy = saturatedHost(canary, stable);
      if (busy.isPresent()) {
        checks.add(busy.get());
        return Optional.of(
            Judgement.of(
                Verdict.INCONCLUSIVE,
                checks,
                busy.get().summary() + "; not judged: " + failed.get(0).summary()));
      }
      return Optional.of(Judgement.of(Verdict.FAIL, checks, failed.get(0).summary()));
    }
    if (!windowComplete) {
      return Optional.empty();
    }
    long valid = canary.stream().filter(s -> !s.missing()).count();
    if (valid < th.minValidSamples()) {
      String reason =
          "only "
              + valid
              + " of "
              + canary.size()
              + " canary scrapes were complete; "
              + th.minValidSamples()
              + " are needed";
      checks.add(
          new Evidence(
              "data",
              Verdict.INCONCLUSIVE,
              (double) valid,
              null,
              (double) th.minValidSamples(),
              "scrapes",
              reason,
              List.of()));
      return Optional.of(Judgement.wantingData(checks, reason));
    }
    if (checks.isEmpty()) {
      String reason = "the canary exposes neither pprof nor metrics: nothing to judge";
      return Optional.of(Judgement.of(Verdict.INCONCLUSIVE, checks, reason));
    }
    Optional<Evidence> unsure =
        checks.stream().filter(e -> e.verdict() == Verdict.INCONCLUSIVE).findFirst();
    if (unsure.isPresent()) {
      return Optional.of(Judgement.wantingData(checks, unsure.get().summary()));
    }
    return Optional.of(
        Judgement.of(
            Verdict.PASS, checks, "canary no worse than stable over " + valid + " samples"));
  }

  private Optional<String> missingInARow(List<Sample> samples, String track) {
    int n = samples.size();
    if (n < th.maxMissingInARow()) {
      return Optional.empty();
    }
    List<Sample> tail = samples.subList(n - th.maxMissingInARow(), n);
    if (tail.stream().allMatch(Sample::missing)) {
      return Optional.of(
          "the last "
              + tail.size()
              + " scrapes of the "
              + track
              + " failed: "
              + tail.get(tail.size() - 1).missingReason());
    }
    return Optional.empty();
  }

  // --- growth of goroutines or heap -----------------------------------------------------------

  private Evidence trend(
      String check,
      String unit,
      Function<Sample, Double> value,
      double minGrowth,
      List<Sample> canary,
      List<Sample> stable,
      boolean withStacks) {
    List<Sample> c = canary.stream().filter(s -> value.apply(s) != null).toList();
    if (c.isEmpty() && canary.stream().allMatch(s -> value.apply(s) == null && !s.missing())) {
      return null; // the target does not expose it
    }
    int need = th.trendSamples();
    if (c.size() < need) {
      return new Evidence(
          check,
          Verdict.INCONCLUSIVE,
          last(c, value),
          lastOf(stable, value),
          minGrowth,
          unit,
          check + ": " + c.size() + " of " + need + " canary samples so far",
          List.of());
    }
    List<Sample> union = c.subList(c.size() - need, c.size());
    List<Sample> later = union.subList(union.size() - th.trendWindow(), union.size());
    List<Sample> earlier = union.subList(0, th.trendWindow());
    Trend recent = trendOf(later, value);
    Trend before = trendOf(earlier, value);
    Trend whole = trendOf(union, value);
    double seconds = seconds(union.get(0), union.get(union.size() - 1));
    double stableSlope = 0;
    if (stable != null) {
      List<Sample> s =
          stable.stream()
              .filter(x -> value.apply(x) != null && !x.takenAt().isBefore(union.get(0).takenAt()))
              .toList();
      stableSlope = Math.max(0, trendOf(s, value).slopePerSecond());
    }
    double netGrowth = (whole.slopePerSecond() - stableSlope) * seconds;
    boolean significant =
        recent.pIncreasing() < th.alpha()
            && before.pIncreasing() < th.alpha()
            && recent.slopePerSecond() > 0
            && before.slopePerSecond() > 0;
    boolean fail = significant && netGrowth >= minGrowth;
    String summary =
        String.format(
            Locale.ROOT,
            "%s grew %s/min on canary, %s/min on %s: %s net over %.0f s"
                + " (Mann-Kendall p=%.4f and p=%.4f in two windows of %d samples)",
            check,
            amount(whole.slopePerSecond() * 60, unit),
            amount(stableSlope * 60, unit),
            stable == null ? "no stable (limit applied alone)" : "stable",
            (netGrowth >= 0 ? "+" : "") + amount(netGrowth, unit),
            seconds,
            before.pIncreasing(),
            recent.pIncreasing(),
            th.trendWindow());
    List<GrownStack> stacks =
        fail && withStacks
            ? grownStacks(union.get(0), union.get(union.size() - 1), stable)
            : List.of();
    return new Evidence(
        check,
        fail ? Verdict.FAIL : Verdict.PASS,
        last(union, value),
        lastOf(stable, value),
        minGrowth,
        unit,
        summary,
        stacks,
        "mann-kendall/theil-sen",
        Math.max(before.pIncreasing(), recent.pIncreasing()),
        union.size());
  }

  /** Bytes in MiB, counts as they are: "+19.8 MiB" reads better than "+20718616". */
  private static String amount(double value, String unit) {
    return "bytes".equals(unit)
        ? String.format(Locale.ROOT, "%.1f MiB", value / (1024 * 1024))
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private static Trend trendOf(List<Sample> samples, Function<Sample, Double> value) {
    if (samples.isEmpty()) {
      return Trend.of(new double[0], new double[0]);
    }
    double[] t = new double[samples.size()];
    double[] y = new double[samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      t[i] = seconds(samples.get(0), samples.get(i));
      y[i] = value.apply(samples.get(i));
    }
    return Trend.of(t, y);
  }

  private static double seconds(Sample from, Sample to) {
    return (to.takenAt().toEpochMilli() - from.takenAt().toEpochMilli()) / 1000.0;
  }

  /** The stacks that account for most of the growth from the first to the last profile. */
  static List<GrownStack> grownStacks(Sample first, Sample last, List<Sample> stable) {
    if (first.goroutineStacks() == null || last.goroutineStacks() == null) {
      return List.of();
    }
    Map<String, Long> stableStacks = Map.of();
    if (stable != null) {
      for (int i = stable.size() - 1; i >= 0; i--) {
        if (stable.get(i).goroutineStacks() != null) {
          stableStacks = stable.get(i).goroutineStacks();
          break;
        }
      }
    }
    Map<String, Long> before = first.goroutineStacks();
    Map<String, Long> after = last.goroutineStacks();
    Set<String> all = new HashSet<>(after.keySet());
    Map<String, Long> stableFinal = stableStacks;
    return all.stream()
        .filter(k -> after.getOrDefault(k, 0L) > before.getOrDefault(k, 0L))
        .sorted(
            Comparator.comparingLong((String k) -> after.get(k) - before.getOrDefault(k, 0L))
                .reversed())
        .limit(MAX_STACKS)
        .map(k -> new GrownStack(k, after.get(k), stableFinal.getOrDefault(k, 0L)))
        .toList();
  }

  // --- 5xx ratio --------------------------------------------------------------------------------

  private Evidence errors(List<Sample> canary, List<Sample> stable) {
    Optional<double[]> c = counterDelta(canary);
    if (c.isEmpty() && canary.stream().allMatch(s -> s.requests() == null && !s.missing())) {
      return null; // the target does not expose request counters
    }
    double cr = c.map(d -> d[0]).orElse(0.0);
    double ce = c.map(d -> d[1]).orElse(0.0);
    if (cr < th.minRequests()) {
      return new Evidence(
          "http_error_ratio",
          Verdict.INCONCLUSIVE,
          ratio(ce, cr),
          null,
          null,
          "ratio",
          String.format(
              Locale.ROOT,
              "canary served %.0f requests so far; %d are needed",
              cr,
              th.minRequests()),
          List.of());
    }
    double canaryRatio = ratio(ce, cr);
    if (stable == null) {
      double p =
          new BinomialDistribution(null, (int) cr, th.maxErrorRatioWithoutStable())
              .cumulativeProbability((int) ce - 1);
      double pUpper = 1 - p;
      boolean fail = pUpper < th.alpha() && canaryRatio > th.maxErrorRatioWithoutStable();
      return new Evidence(
          "http_error_ratio",
          fail ? Verdict.FAIL : Verdict.PASS,
          canaryRatio,
          null,
          th.maxErrorRatioWithoutStable(),
          "ratio",
          String.format(
              Locale.ROOT,
              "canary 5xx %.1f%% of %.0f requests, limit %.1f%% with no stable (binomial p=%.4f)",
              canaryRatio * 100,
              cr,
              th.maxErrorRatioWithoutStable() * 100,
              pUpper),
          List.of(),
          "binomial",
          pUpper,
          requestSamples(canary));
    }
    Optional<double[]> s = counterDelta(stable);
    double sr = s.map(d -> d[0]).orElse(0.0);
    double se = s.map(d -> d[1]).orElse(0.0);
    double stableRatio = ratio(se, sr);
    double p =
        new HypergeometricDistribution(null, (int) (cr + sr), (int) (ce + se), (int) cr)
            .upperCumulativeProbability((int) ce);
    boolean fail = p < th.alpha() && canaryRatio - stableRatio >= th.minErrorRatioIncrease();
    return new Evidence(
        "http_error_ratio",
        fail ? Verdict.FAIL : Verdict.PASS,
        canaryRatio,
        stableRatio,
        th.minErrorRatioIncrease(),
        "ratio",
        String.format(
            Locale.ROOT,
            "canary 5xx %.1f%% of %.0f requests, stable %.1f%% of %.0f (Fisher exact p=%.4g)",
            canaryRatio * 100,
            cr,
            stableRatio * 100,
            sr,
            p),
        List.of(),
        "fisher-exact",
        p,
        requestSamples(canary));
  }

  // --- host guard

  /**
   * A canary on a saturated host that is clearly busier than the stable's: its misbehaviour may be
   * the host's, so a FAIL becomes INCONCLUSIVE. Judged on the median of the last three readings.
   */
  private Optional<Evidence> saturatedHost(List<Sample> canary, List<Sample> stable) {
    if (stable == null) {
      return Optional.empty();
    }
    Double c = recentLoad(canary);
    Double s = recentLoad(stable);
    if (c == null || s == null) {
      return Optional.empty();
    }
    if (c < th.saturatedLoadPerCore() || c - s < th.hostLoadMargin()) {
      return Optional.empty();
    }
    return Optional.of(
        new Evidence(
            "host_load_per_core",
            Verdict.INCONCLUSIVE,
            c,
            s,
            th.saturatedLoadPerCore(),
            "load",
            String.format(
                Locale.ROOT,
                "the canary's host is saturated (load %.2f per CPU, stable's %.2f)",
                c,
                s),
            List.of()));
  }

  private static Double recentLoad(List<Sample> samples) {
    double[] loads =
        samples.stream()
            .map(Sample::hostLoadPerCore)
            .filter(v -> v != null)
            .mapToDouble(Double::doubleValue)
            .toArray();
    if (loads.length == 0) {
      return null;
    }
    double[] last =
        java.util.Arrays.copyOfRange(loads, Math.max(0, loads.length - 3), loads.length);
    return StatUtils.percentile(last, 50);
  }

  // --- latency and CPU per request: rank tests on per-interval ratios ---------------------------

  /** What one rank test compares: a counter per interval divided by another. */
  private record PerInterval(
      String check,
      String what,
      Function<Sample, Double> numerator,
      Function<Sample, Double> denominator,
      double maxRatio,
      double minIncrease) {}

  private Evidence latency(List<Sample> canary, List<Sample> stable) {
    return rankTest(
        new PerInterval(
            "latency_mean_seconds",
            "request latency",
            Sample::latencySum,
            Sample::latencyCount,
            th.maxLatencyRatio(),
            th.minLatencyIncreaseSeconds()),
        canary,
        stable);
  }

  /** Not judged while the canary serves too few requests per interval (see the threshold). */
  private Evidence cpuPerRequest(List<Sample> canary, List<Sample> stable) {
    double[] perInterval = intervalRatios(canary, Sample::requests, s -> 1.0 * s.seq());
    if (perInterval.length == 0
        || StatUtils.percentile(perInterval, 50) < th.minCpuRequestsPerInterval()) {
      return null;
    }
    return rankTest(
        new PerInterval(
            "cpu_seconds_per_request",
            "CPU per request",
            Sample::cpuSeconds,
            Sample::requests,
            th.maxCpuPerRequestRatio(),
            th.minCpuPerRequestIncreaseSeconds()),
        canary,
        stable);
  }

  /**
   * Each interval's ratio (e.g. Δ latency sum / Δ count), canary against stable, by the
   * Mann-Whitney U test, a ratio of medians and an absolute minimum. Without a stable version there
   * is no baseline: not judged.
   */
  private Evidence rankTest(PerInterval m, List<Sample> canary, List<Sample> stable) {
    if (stable == null || canary.stream().noneMatch(s -> m.numerator().apply(s) != null)) {
      return null;
    }
    double[] c = intervalRatios(canary, m.numerator(), m.denominator());
    double[] s = intervalRatios(stable, m.numerator(), m.denominator());
    int need = th.minLatencyIntervals();
    if (c.length < need || s.length < need) {
      return new Evidence(
          m.check(),
          Verdict.INCONCLUSIVE,
          null,
          null,
          m.maxRatio(),
          "seconds",
          m.what()
              + ": "
              + c.length
              + " canary and "
              + s.length
              + " stable intervals with requests; "
              + need
              + " needed",
          List.of());
    }
    double cm = StatUtils.percentile(c, 50);
    double sm = StatUtils.percentile(s, 50);
    double twoSided = new MannWhitneyUTest().mannWhitneyUTest(c, s);
    double p = cm > sm ? twoSided / 2 : 1 - twoSided / 2;
    boolean fail = p < th.alpha() && cm >= sm * m.maxRatio() && cm - sm >= m.minIncrease();
    return new Evidence(
        m.check(),
        fail ? Verdict.FAIL : Verdict.PASS,
        cm,
        sm,
        sm * m.maxRatio(),
        "seconds",
        String.format(
            Locale.ROOT,
            "median %s %.1f ms on canary, %.1f ms on stable over %d and %d intervals"
                + " (Mann-Whitney p=%.4f)",
            m.what(),
            cm * 1000,
            sm * 1000,
            c.length,
            s.length,
            p),
        List.of(),
        "mann-whitney",
        p,
        c.length);
  }

  /** Δ numerator / Δ denominator between consecutive samples where the denominator grew. */
  static double[] intervalRatios(
      List<Sample> samples,
      Function<Sample, Double> numerator,
      Function<Sample, Double> denominator) {
    List<Double> ratios = new ArrayList<>();
    Sample prev = null;
    for (Sample s : samples) {
      if (numerator.apply(s) == null || denominator.apply(s) == null) {
        continue;
      }
      if (prev != null) {
        double dd = denominator.apply(s) - denominator.apply(prev);
        double dn = numerator.apply(s) - numerator.apply(prev);
        if (dd > 0 && dn >= 0) {
          ratios.add(dn / dd);
        }
      }
      prev = s;
    }
    return ratios.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * A stable version that answered every scrape but no request — the canary takes 100 % — is no
   * baseline for what requests cost: errors are then held to the limit of a first deploy, and
   * latency and CPU per request are not judged. Its goroutines and heap still are.
   */
  static boolean servedNoRequests(List<Sample> stable) {
    if (stable == null) {
      return false;
    }
    Optional<double[]> delta = counterDelta(stable);
    return delta.isPresent() && delta.get()[0] == 0 && stable.stream().noneMatch(Sample::missing);
  }

  /** Requests and errors since the first usable sample, or since a counter reset (a restart). */
  static Optional<double[]> counterDelta(List<Sample> samples) {
    Sample first = null;
    Sample prev = null;
    for (Sample s : samples) {
      if (s.requests() == null || s.errors() == null) {
        continue;
      }
      if (first == null || s.requests() < prev.requests() || s.errors() < prev.errors()) {
        first = s;
      }
      prev = s;
    }
    if (first == null || prev == first) {
      return Optional.empty();
    }
    return Optional.of(
        new double[] {prev.requests() - first.requests(), prev.errors() - first.errors()});
  }

  private static int requestSamples(List<Sample> samples) {
    return (int) samples.stream().filter(s -> s.requests() != null).count();
  }

  private static double ratio(double errors, double requests) {
    return requests <= 0 ? 0 : errors / requests;
  }

  private static Double last(List<Sample> samples, Function<Sample, Double> value) {
    for (int i = samples.size() - 1; i >= 0; i--) {
      if (value.apply(samples.get(i)) != null) {
        return value.apply(samples.get(i));
      }
    }
    return null;
  }

  private static Double lastOf(List<Sample> samples, Function<Sample, Double> value) {
    return samples == null ? null : last(samples, value);
  }
}

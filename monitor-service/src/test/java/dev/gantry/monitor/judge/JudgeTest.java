package dev.gantry.monitor.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.monitor.scrape.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class JudgeTest {
  private static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");

  /** The documented defaults (MonitorConfig.Judge). */
  static final Thresholds TH =
      new Thresholds(
          12,
          10,
          3,
          0.01,
          6,
          20,
          64 * 1024 * 1024,
          50,
          0.02,
          0.05,
          5,
          1.5,
          0.01,
          1.0,
          0.25,
          1.5,
          0.002,
          50);

  private final Judge judge = new Judge(TH);

  /** Samples 5 s apart: goroutines(i), heap 8 MiB, requests 100·i, errors(i). */
  private static List<Sample> series(
      String track, int n, IntFunction<Double> goroutines, IntFunction<Double> errors) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double g = goroutines.apply(i);
      Map<String, Long> stacks =
          Map.of(
              "net/http.ListenAndServe\nmain.main",
              4L,
              "runtime.gopark\nmain.main.func1",
              (long) g - 4);
      out.add(
          new Sample(
              track,
              i,
              T0.plusSeconds(5L * i),
              g,
              8.0 * 1024 * 1024,
              100.0 * i,
              errors.apply(i),
              null,
              null,
              null,
              null,
              null,
              stacks,
              null));
    }
    return out;
  }

  private static Sample missing(String track, int i) {
    return new Sample(
        track,
        i,
        T0.plusSeconds(5L * i),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "cannot reach target",
        null,
        null);
  }

  @Test
  void shouldFailWithTheGrownStackWhenCanaryGoroutinesClimbAndStableIsFlat() {
    List<Sample> canary = series("canary", 9, i -> 10.0 + 8 * i, i -> 0.0);
    List<Sample> stable = series("stable", 9, i -> 10.0 + (i % 2), i -> 0.0);

    Judgement j = judge.evaluate(canary, stable, false).orElseThrow();

    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    Evidence g =
        j.evidence().stream().filter(e -> e.check().equals("goroutines")).findFirst().orElseThrow();
    assertThat(g.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(g.stacks())
        .first()
        .satisfies(
            s -> {
              assertThat(s.frames()).contains("main.main.func1");
              assertThat(s.canary()).isEqualTo(10 + 8 * 8 - 4);
            });
  }

  @Test
  void shouldNotJudgeALeakBeforeTwoWindowsOfSamples() {
    List<Sample> canary = series("canary", 8, i -> 10.0 + 8 * i, i -> 0.0);
    List<Sample> stable = series("stable", 8, i -> 10.0, i -> 0.0);

    assertThat(judge.evaluate(canary, stable, false)).isEmpty();
  }

  @Test
  void shouldPassWhenBothAreFlatAndTheWindowIsComplete() {
    List<Sample> canary = series("canary", 12, i -> 10.0 + (i % 3), i -> (double) i / 4);
    List<Sample> stable = series("stable", 12, i -> 11.0 - (i % 2), i -> (double) i / 4);

    assertThat(judge.evaluate(canary, stable, false)).isEmpty();
    assertThat(judge.evaluate(canary, stable, true).orElseThrow().verdict())
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void shouldNotFailASmallSteadyGrowthBelowTheMinimum() {
    List<Sample> canary = series("canary", 12, i -> 10.0 + i, i -> 0.0);
    List<Sample> stable = series("stable", 12, i -> 10.0, i -> 0.0);

    assertThat(judge.evaluate(canary, stable, true).orElseThrow().verdict())
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void shouldFailWhenCanaryAnswers5xxFarMoreOftenThanStable() {
    List<Sample> canary = series("canary", 3, i -> 10.0, i -> 20.0 * i);
    List<Sample> stable = series("stable", 3, i -> 10.0, i -> 0.0);

    Judgement j = judge.evaluate(canary, stable, false).orElseThrow();

    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(j.reason()).contains("canary 5xx 20.0%").contains("stable 0.0%");
  }

  @Test
  void shouldBeInconclusiveNeverPassWhenTheCanaryCannotBeScraped() {
    List<Sample> canary = new ArrayList<>(series("canary", 5, i -> 10.0, i -> 0.0));
    for (int i = 5; i < 8; i++) {
      canary.add(missing("canary", i));
    }
    List<Sample> stable = series("stable", 8, i -> 10.0, i -> 0.0);

    Judgement j = judge.evaluate(canary, stable, false).orElseThrow();

    assertThat(j.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(j.reason()).contains("canary").contains("cannot reach target");
  }

  @Test
  void shouldBeInconclusiveWhenTooFewScrapesSucceededInTheWindow() {
    List<Sample> canary = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      canary.add(
          i % 2 == 0 ? missing("canary", i) : series("canary", 12, k -> 10.0, k -> 0.0).get(i));
    }
    List<Sample> stable = series("stable", 12, i -> 10.0, i -> 0.0);

    Judgement j = judge.evaluate(canary, stable, true).orElseThrow();

    assertThat(j.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void shouldHoldAFirstDeployToAbsoluteLimitsWhenThereIsNoStable() {
    List<Sample> healthy = series("canary", 12, i -> 10.0, i -> 0.0);
    List<Sample> failing = series("canary", 3, i -> 10.0, i -> 30.0 * i);

    assertThat(judge.evaluate(healthy, null, true).orElseThrow().verdict()).isEqualTo(Verdict.PASS);
    assertThat(judge.evaluate(failing, null, false).orElseThrow().verdict())
        .isEqualTo(Verdict.FAIL);
  }

  /** Samples 5 s apart with a latency histogram: 50 requests an interval at {@code latency}(i). */
  private static List<Sample> timed(String track, int n, IntFunction<Double> latency) {
    List<Sample> out = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 50 * latency.apply(i);
      out.add(
          new Sample(
              track,
              i,
              T0.plusSeconds(5L * i),
              10.0,
              8.0 * 1024 * 1024,
              50.0 * i,
              0.0,
              sum,
              50.0 * i,
              null,
              null,
              null,
              Map.of(),
              null));
    }
    return out;
  }

  /** {@code perInterval} requests every 5 s, each costing {@code cpuPerRequest(i)} CPU seconds. */
  private static List<Sample> spending(
      String track, int n, double perInterval, IntFunction<Double> cpuPerRequest) {
    List<Sample> out = new ArrayList<>();
    double cpu = 1.0;
    for (int i = 0; i < n; i++) {
      cpu += perInterval * cpuPerRequest.apply(i);
      out.add(
          new Sample(
              track,
              i,
              T0.plusSeconds(5L * i),
              10.0,
              8.0 * 1024 * 1024,
              perInterval * i,
              0.0,
              null,
              null,
              cpu,
              null,
              null,
              Map.of(),
              null));
    }
    return out;
  }

  private static Evidence cpuCheck(Judgement j) {
    return j.evidence().stream()
        .filter(e -> e.check().equals("cpu_seconds_per_request"))
        .findFirst()
        .orElse(null);
  }

  @Test
  void shouldFailACanaryThatSpendsMoreCpuPerRequestWhenItServesEnoughRequests() {
    List<Sample> canary = spending("canary", 12, 60, i -> 0.008 + 0.0001 * (i % 3));
    List<Sample> stable = spending("stable", 12, 600, i -> 0.002 + 0.0001 * (i % 2));

    Judgement j = judge.evaluate(canary, stable, true).orElseThrow();

    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(cpuCheck(j).verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void shouldNotJudgeCpuPerRequestWhileTheCanaryServesTooFewRequestsPerInterval() {
    // what a 5 % step of a quiet service looks like: a fixed cost per interval, spread over ten
    // requests on the canary and two hundred on the stable, reads as four times the CPU per request
    List<Sample> canary = spending("canary", 12, 10, i -> 0.004 + 0.0001 * (i % 3));
    List<Sample> stable = spending("stable", 12, 200, i -> 0.001 + 0.0001 * (i % 2));

    Judgement j = judge.evaluate(canary, stable, true).orElseThrow();

    assertThat(cpuCheck(j)).isNull();
    assertThat(j.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void shouldJudgeTheCanaryAloneWhenItTakesAllTheTrafficAtTheLastStep() {
    List<Sample> canary = spending("canary", 12, 600, i -> 0.002 + 0.0001 * (i % 3));
    List<Sample> idleStable = spending("stable", 12, 0, i -> 0.0);

    Judgement j = judge.evaluate(canary, idleStable, true).orElseThrow();

    assertThat(j.verdict()).as(j.reason()).isEqualTo(Verdict.PASS);
    assertThat(cpuCheck(j)).isNull();
    assertThat(j.evidence())
        .filteredOn(e -> e.check().equals("http_error_ratio"))
        .singleElement()
        .satisfies(e -> assertThat(e.summary()).contains("no stable"));
  }

  @Test
  void shouldFailWhenTheCanaryIsConsistentlySlowerThanStable() {
    List<Sample> canary = timed("canary", 6, i -> 0.080 + 0.001 * (i % 3));
    List<Sample> stable = timed("stable", 6, i -> 0.020 + 0.001 * (i % 2));

    Judgement j = judge.evaluate(canary, stable, false).orElseThrow();

    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    Evidence latency =
        j.evidence().stream()
            .filter(e -> e.check().equals("latency_mean_seconds"))
            .findFirst()
            .orElseThrow();
    assertThat(latency.statistic()).isEqualTo("mann-whitney");
    assertThat(latency.canary()).isGreaterThan(0.079);
    assertThat(latency.stable()).isLessThan(0.022);
  }

  @Test
  void shouldNotFailALatencyDifferenceBelowTheAbsoluteMinimum() {
    List<Sample> canary = timed("canary", 12, i -> 0.0004 + 0.00001 * (i % 3));
    List<Sample> stable = timed("stable", 12, i -> 0.0001 + 0.00001 * (i % 2));

    assertThat(judge.evaluate(canary, stable, true).orElseThrow().verdict())
        .isEqualTo(Verdict.PASS);
  }

  private static List<Sample> onHost(List<Sample> samples, double load) {
    return samples.stream()
        .map(
            s ->
                new Sample(
                    s.track(),
                    s.seq(),
                    s.takenAt(),
                    s.goroutines(),
                    s.heapInuseBytes(),
                    s.requests(),
                    s.errors(),
                    s.latencySum(),
                    s.latencyCount(),
                    s.cpuSeconds(),
                    load,
                    s.missingReason(),
                    s.goroutineStacks(),
                    null))
        .toList();
  }

  @Test
  void shouldBeInconclusiveNotFailWhenTheCanarysHostIsSaturatedAndTheStablesIsNot() {
    List<Sample> canary = series("canary", 9, i -> 10.0 + 8 * i, i -> 0.0);
    List<Sample> stable = series("stable", 9, i -> 10.0, i -> 0.0);

    Judgement busy = judge.evaluate(onHost(canary, 3.5), onHost(stable, 0.4), false).orElseThrow();
    Judgement bothBusy =
        judge.evaluate(onHost(canary, 3.5), onHost(stable, 3.4), false).orElseThrow();

    assertThat(busy.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(busy.reason()).contains("saturated").contains("goroutines grew");
    assertThat(bothBusy.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void shouldFindAnIncreasingTrendAndItsSlope() {
    Trend up = Trend.of(new double[] {0, 1, 2, 3, 4, 5}, new double[] {1, 3, 5, 7, 9, 11});
    Trend flat = Trend.of(new double[] {0, 1, 2, 3, 4, 5}, new double[] {4, 4, 4, 4, 4, 4});

    assertThat(up.slopePerSecond()).isEqualTo(2.0);
    assertThat(up.pIncreasing()).isLessThan(0.01);
    assertThat(flat.pIncreasing()).isEqualTo(1.0);
    assertThat(flat.slopePerSecond()).isZero();
  }
}

package dev.gantry.monitor.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.monitor.scrape.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class JudgeTest {
  private static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");

  /** The documented defaults (MonitorConfig.Judge). */
  static final Thresholds TH =
      new Thresholds(
          12,
          36,
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

  /** Judged after as many rounds as there are samples, far from the step's deadline. */
  private Optional<Judgement> evaluate(List<Sample> canary, List<Sample> stable) {
    return judge.evaluate(canary, stable, canary.size(), false);
  }

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

    Judgement j = evaluate(canary, stable).orElseThrow();

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

    assertThat(evaluate(canary, stable)).isEmpty();
  }

  @Test
  void shouldPassWhenBothAreFlatAndTheWindowIsComplete() {
    List<Sample> canary = series("canary", 12, i -> 10.0 + (i % 3), i -> (double) i / 4);
    List<Sample> stable = series("stable", 12, i -> 11.0 - (i % 2), i -> (double) i / 4);

    assertThat(judge.evaluate(canary.subList(0, 11), stable.subList(0, 11), 11, false)).isEmpty();
    assertThat(evaluate(canary, stable).orElseThrow().verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void shouldNotFailASmallSteadyGrowthBelowTheMinimum() {
    List<Sample> canary = series("canary", 12, i -> 10.0 + i, i -> 0.0);
    List<Sample> stable = series("stable", 12, i -> 10.0, i -> 0.0);

    assertThat(evaluate(canary, stable).orElseThrow().verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void shouldFailWhenCanaryAnswers5xxFarMoreOftenThanStable() {
    List<Sample> canary = series("canary", 3, i -> 10.0, i -> 20.0 * i);
    List<Sample> stable = series("stable", 3, i -> 10.0, i -> 0.0);

    Judgement j = evaluate(canary, stable).orElseThrow();

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

    Judgement j = evaluate(canary, stable).orElseThrow();

    assertThat(j.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(j.shortOfData()).isFalse();
    assertThat(j.reason()).contains("canary").contains("cannot reach target");
  }

  /** Every other canary scrape failed: never three in a row, but half the rounds are missing. */
  private static List<Sample> everyOtherMissing(int n) {
    List<Sample> healthy = series("canary", n, k -> 10.0, k -> 0.0);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i % 2 == 0 ? missing("canary", i) : healthy.get(i));
    }
    return out;
  }

  @Test
  void shouldKeepCollectingWhenTooFewScrapesSucceededInTheWindowAndPassOnceThereAreEnough() {
    List<Sample> stable = series("stable", 20, i -> 10.0, i -> 0.0);

    // 6 of 12 complete: short of data, and the window may still grow
    assertThat(judge.evaluate(everyOtherMissing(12), stable.subList(0, 12), 12, false)).isEmpty();
    // 10 of 20
    Judgement j = judge.evaluate(everyOtherMissing(20), stable, 20, false).orElseThrow();

    assertThat(j.verdict()).as(j.reason()).isEqualTo(Verdict.PASS);
    assertThat(j.shortOfData()).isFalse();
  }

  @Test
  void shouldBeInconclusiveWhenTooFewScrapesSucceededByTheLongestWindow() {
    Thresholds upTo16 =
        new AppThresholds(TH, Map.of("shop", Map.of("max-window-samples", "16"))).of("shop");
    List<Sample> stable = series("stable", 16, i -> 10.0, i -> 0.0);

    Judgement j =
        new Judge(upTo16).evaluate(everyOtherMissing(16), stable, 16, false).orElseThrow();

    assertThat(j.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(j.shortOfData()).isTrue();
    assertThat(j.reason()).contains("only 8 of 16 canary scrapes").contains("after 16 rounds");
  }

  /**
   * The end-to-end run's case: the app got no traffic for the first two thirds of the window (its
   * proxy restarted), then 50 requests an interval at 20 ms on both tracks.
   */
  private static List<Sample> quietThenBusy(String track, int n, int quiet) {
    List<Sample> out = new ArrayList<>();
    double requests = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      if (i >= quiet) {
        requests += 50;
        sum += 50 * (0.020 + 0.001 * (i % 3));
      }
      out.add(
          new Sample(
              track,
              i,
              T0.plusSeconds(5L * i),
              10.0 + (i % 2),
              8.0 * 1024 * 1024,
              requests,
              0.0,
              sum,
              requests,
              null,
              null,
              null,
              Map.of(),
              null));
    }
    return out;
  }

  @Test
  void shouldWaitPastTheWindowForTrafficThatCameLateAndThenPass() {
    List<Sample> canary = quietThenBusy("canary", 36, 9);
    List<Sample> stable = quietThenBusy("stable", 36, 9);

    // at the end of the window: 3 intervals with requests of the 5 latency needs
    assertThat(judge.evaluate(canary.subList(0, 12), stable.subList(0, 12), 12, false)).isEmpty();
    Optional<Judgement> first =
        java.util.stream.IntStream.rangeClosed(13, 36)
            .mapToObj(n -> judge.evaluate(canary.subList(0, n), stable.subList(0, n), n, false))
            .flatMap(Optional::stream)
            .findFirst();

    assertThat(first).hasValueSatisfying(j -> assertThat(j.verdict()).isEqualTo(Verdict.PASS));
    assertThat(first.get().evidence())
        .filteredOn(e -> e.check().equals("latency_mean_seconds"))
        .singleElement()
        .satisfies(e -> assertThat(e.verdict()).isEqualTo(Verdict.PASS));
  }

  @Test
  void shouldBeInconclusiveWhenStillShortOfRequestsAtTheLongestWindowOrNearTheDeadline() {
    // one request an interval: 35 by round 36, 50 are needed for the 5xx ratio
    List<Sample> canary = spending("canary", 36, 1, i -> 0.001);
    List<Sample> stable = spending("stable", 36, 20, i -> 0.001);

    assertThat(judge.evaluate(canary.subList(0, 35), stable.subList(0, 35), 35, false)).isEmpty();
    Judgement atMost = judge.evaluate(canary, stable, 36, false).orElseThrow();
    Judgement nearDeadline =
        judge.evaluate(canary.subList(0, 14), stable.subList(0, 14), 14, true).orElseThrow();

    assertThat(atMost.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(atMost.shortOfData()).isTrue();
    assertThat(atMost.reason()).contains("35 requests so far; 50 are needed");
    assertThat(nearDeadline.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(nearDeadline.reason()).contains("13 requests so far");
  }

  @Test
  void shouldBeInconclusiveAtOnceWhenTheCanaryStopsAnsweringWhileTheWindowIsExtended() {
    List<Sample> canary = new ArrayList<>(spending("canary", 14, 1, i -> 0.001));
    for (int i = 14; i < 17; i++) {
      canary.add(missing("canary", i));
    }
    List<Sample> stable = spending("stable", 17, 20, i -> 0.001);

    assertThat(judge.evaluate(canary.subList(0, 14), stable.subList(0, 14), 14, false)).isEmpty();
    Judgement j = judge.evaluate(canary, stable, 17, false).orElseThrow();

    assertThat(j.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(j.shortOfData()).isFalse();
    assertThat(j.reason()).contains("the last 3 scrapes of the canary failed");
  }

  @Test
  void shouldFailAtOnceWhileTheWindowIsExtended() {
    // short of requests for the 5xx ratio, then a leak shows: FAIL comes without waiting
    List<Sample> canary = spending("canary", 20, 1, i -> 0.001);
    List<Sample> leaking = new ArrayList<>();
    for (Sample s : canary) {
      leaking.add(
          new Sample(
              s.track(),
              s.seq(),
              s.takenAt(),
              s.seq() < 11 ? 10.0 : 10.0 + 10 * (s.seq() - 10),
              s.heapInuseBytes(),
              s.requests(),
              s.errors(),
              null,
              null,
              s.cpuSeconds(),
              null,
              null,
              Map.of(),
              null));
    }
    List<Sample> stable = spending("stable", 20, 20, i -> 0.001);

    assertThat(judge.evaluate(leaking.subList(0, 12), stable.subList(0, 12), 12, false)).isEmpty();
    Judgement j = judge.evaluate(leaking, stable, 20, false).orElseThrow();

    assertThat(j.verdict()).as(j.reason()).isEqualTo(Verdict.FAIL);
    assertThat(j.reason()).contains("goroutines grew");
  }

  @Test
  void shouldHoldAFirstDeployToAbsoluteLimitsWhenThereIsNoStable() {
    List<Sample> healthy = series("canary", 12, i -> 10.0, i -> 0.0);
    List<Sample> failing = series("canary", 3, i -> 10.0, i -> 30.0 * i);

    assertThat(evaluate(healthy, null).orElseThrow().verdict()).isEqualTo(Verdict.PASS);
    assertThat(evaluate(failing, null).orElseThrow().verdict()).isEqualTo(Verdict.FAIL);
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

    Judgement j = evaluate(canary, stable).orElseThrow();

    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(cpuCheck(j).verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void shouldNotJudgeCpuPerRequestWhileTheCanaryServesTooFewRequestsPerInterval() {
    // what a 5 % step of a quiet service looks like: a fixed cost per interval, spread over ten
    // requests on the canary and two hundred on the stable, reads as four times the CPU per request
    List<Sample> canary = spending("canary", 12, 10, i -> 0.004 + 0.0001 * (i % 3));
    List<Sample> stable = spending("stable", 12, 200, i -> 0.001 + 0.0001 * (i % 2));

    Judgement j = evaluate(canary, stable).orElseThrow();

    assertThat(cpuCheck(j)).isNull();
    assertThat(j.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void shouldJudgeTheCanaryAloneWhenItTakesAllTheTrafficAtTheLastStep() {
    List<Sample> canary = spending("canary", 12, 600, i -> 0.002 + 0.0001 * (i % 3));
    List<Sample> idleStable = spending("stable", 12, 0, i -> 0.0);

    Judgement j = evaluate(canary, idleStable).orElseThrow();

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

    Judgement j = evaluate(canary, stable).orElseThrow();

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

    assertThat(evaluate(canary, stable).orElseThrow().verdict()).isEqualTo(Verdict.PASS);
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

    Judgement busy = evaluate(onHost(canary, 3.5), onHost(stable, 0.4)).orElseThrow();
    Judgement bothBusy = evaluate(onHost(canary, 3.5), onHost(stable, 3.4)).orElseThrow();

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

package dev.gantry.buildapi.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.events.Golden;
import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvidenceSummaryTest {

  @Test
  void shouldNameOnlyTheFailingChecksWithCanaryAndStableValuesWhenAVerdictFails() {
    List<Evidence> golden = Golden.data(AnalysisVerdict.class).evidence();

    assertThat(EvidenceSummary.of(golden)).isEqualTo("goroutines: canary 2418 vs stable 212 count");
  }

  @Test
  void shouldJoinSeveralFailuresOnOneLineWhenAProducerSendsLineBreaks() {
    List<Evidence> evidence =
        List.of(
            check("latency_p99\nseconds", Verdict.FAIL, 0.93, 0.21, "seconds"),
            check("heap_inuse_bytes", Verdict.PASS, 1.0, 1.0, "bytes"),
            check("http_error_ratio", Verdict.FAIL, 0.05, null, "ratio"));

    assertThat(EvidenceSummary.of(evidence))
        .isEqualTo(
            "latency_p99 seconds: canary 0.93 vs stable 0.21 seconds;"
                + " http_error_ratio: canary 0.05 vs stable n/a ratio");
  }

  @Test
  void shouldHaveNoSummaryWhenNothingFailed() {
    assertThat(EvidenceSummary.of(List.of(check("goroutines", Verdict.PASS, 1.0, 1.0, "count"))))
        .isNull();
    assertThat(EvidenceSummary.of(null)).isNull();
  }

  @Test
  void shouldCutTheSummaryWhenManyChecksFail() {
    List<Evidence> many =
        java.util.stream.IntStream.range(0, 40)
            .mapToObj(i -> check("check_" + i, Verdict.FAIL, 2.0, 1.0, "count"))
            .toList();

    String summary = EvidenceSummary.of(many);

    assertThat(summary).hasSize(EvidenceSummary.MAX_LENGTH).endsWith("…");
  }

  private static Evidence check(
      String name, Verdict verdict, Double canary, Double stable, String unit) {
    return new Evidence(name, verdict, canary, stable, null, unit, "", List.of());
  }
}

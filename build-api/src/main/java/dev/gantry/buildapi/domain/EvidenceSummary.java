package dev.gantry.buildapi.domain;

import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.Verdict;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The failing checks of a verdict in one line, for a developer who asks why. */
public final class EvidenceSummary {
  /** A REST answer, not a report: the full evidence is in monitor-service and the page. */
  static final int MAX_LENGTH = 300;

  private EvidenceSummary() {}

  /**
   * E.g. {@code goroutines: canary 2418 vs stable 212 count; latency_p99_seconds: canary 0.9 vs
   * stable 0.2 seconds}; null when no check failed.
   */
  public static String of(List<Evidence> evidence) {
    if (evidence == null) {
      return null;
    }
    String line =
        evidence.stream()
            .filter(Objects::nonNull)
            .filter(e -> e.verdict() == Verdict.FAIL)
            .map(EvidenceSummary::describe)
            .collect(Collectors.joining("; "));
    if (line.isEmpty()) {
      return null;
    }
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
  }

  private static String describe(Evidence e) {
    StringBuilder s = new StringBuilder(oneLine(e.check() == null ? "check" : e.check()));
    s.append(": canary ").append(number(e.canary())).append(" vs stable ");
    s.append(number(e.stable()));
    if (e.unit() != null && !e.unit().isBlank()) {
      s.append(' ').append(oneLine(e.unit()));
    }
    return s.toString();
  }

  private static String number(Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return "n/a";
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** Another service's strings: no line breaks or control characters in a one-line summary. */
  private static String oneLine(String s) {
    return s.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
  }
}

package dev.gantry.events.analysis;

import java.util.List;

/**
 * One measurement behind a verdict, as an on-call engineer needs to see it.
 *
 * @param check what was compared, e.g. {@code goroutines}, {@code heap_inuse_bytes}, {@code
 *     http_error_ratio}, {@code latency_p99_seconds}
 * @param verdict this check's own outcome
 * @param canary the canary's value (last, or the statistic the test used)
 * @param stable the stable version's value
 * @param threshold the limit the canary was held to; null when the check is a statistical test
 * @param unit e.g. {@code count}, {@code bytes}, {@code ratio}, {@code seconds}
 * @param summary one sentence, e.g. "goroutines grew 41/min on canary, flat on stable (p=0.002)"
 * @param stacks for goroutine and heap checks: the stacks that grew most, canary count vs stable
 *     (frames leaf first, one per line)
 * @param statistic the test behind the verdict, e.g. {@code mann-kendall}, {@code fisher-exact};
 *     null for a plain limit (added in 0.1: older producers leave it out)
 * @param pValue that test's p-value, when there is one
 * @param samples how many samples of the canary the check used
 */
public record Evidence(
    String check,
    Verdict verdict,
    Double canary,
    Double stable,
    Double threshold,
    String unit,
    String summary,
    List<GrownStack> stacks,
    String statistic,
    Double pValue,
    Integer samples) {

  /** The original eight fields, for producers that have no test statistic to report. */
  public Evidence(
      String check,
      Verdict verdict,
      Double canary,
      Double stable,
      Double threshold,
      String unit,
      String summary,
      List<GrownStack> stacks) {
    this(check, verdict, canary, stable, threshold, unit, summary, stacks, null, null, null);
  }

  /** A goroutine or allocation stack and how much of it canary and stable had. */
  public record GrownStack(String frames, long canary, long stable) {}
}

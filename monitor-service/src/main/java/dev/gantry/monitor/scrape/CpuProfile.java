package dev.gantry.monitor.scrape;

import dev.gantry.monitor.pprof.ParsedProfile.FunctionCost;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One CPU profile of one target: where its CPU went over {@code seconds}. Evidence for on-call, not
 * a judge input: which functions a canary that burns more CPU spends it in.
 *
 * @param raw the profile as the target sent it, for {@code go tool pprof}; null when it failed
 * @param cpuNanos the total of the profile's {@code cpu/nanoseconds}
 * @param samples the total of its {@code samples/count} (-1 when absent)
 * @param top the functions with the most flat CPU, most first
 * @param missingReason why there is no profile, or null
 */
public record CpuProfile(
    String track,
    Instant takenAt,
    int seconds,
    byte[] raw,
    long cpuNanos,
    long samples,
    List<FunctionCost> top,
    String missingReason) {

  /** Functions kept per profile. */
  public static final int TOP = 10;

  public boolean missing() {
    return missingReason != null;
  }

  /** CPU used over the profile's duration: 1.0 is one core busy all the time. */
  public double cores() {
    return cpuNanos / (seconds * 1e9);
  }

  public String summary() {
    if (missing()) {
      return missingReason;
    }
    StringBuilder out =
        new StringBuilder(
            String.format(
                Locale.ROOT, "%.2f cores over %d s, %d samples", cores(), seconds, samples));
    for (int i = 0; i < Math.min(3, top.size()); i++) {
      FunctionCost f = top.get(i);
      out.append(i == 0 ? "; top: " : ", ")
          .append(f.function())
          .append(
              String.format(
                  Locale.ROOT, " %.0f%%", cpuNanos == 0 ? 0.0 : 100.0 * f.flat() / cpuNanos));
    }
    return out.toString();
  }
}

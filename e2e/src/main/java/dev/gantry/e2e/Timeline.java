package dev.gantry.e2e;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What the scenario prints as it goes, each line with the time since it began, and its timings. */
final class Timeline {
  private final PrintStream out;
  private final Instant start = Instant.now();
  private final Map<String, Duration> timings = new LinkedHashMap<>();

  Timeline(PrintStream out) {
    this.out = out;
  }

  void stage(String title) {
    out.printf(Locale.ROOT, "%n== %s%n", title);
  }

  void say(String format, Object... args) {
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    out.printf(Locale.ROOT, "[%7.1fs] %s%n", seconds, String.format(Locale.ROOT, format, args));
  }

  /** Records a measured duration under a name that the summary and the benchmark notes use. */
  Duration measure(String name, Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    timings.put(name, d);
    return d;
  }

  Map<String, Duration> timings() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timings));
  }

  void printTimings() {
    out.printf(Locale.ROOT, "%n== Timings%n");
    timings.forEach((name, d) -> out.printf(Locale.ROOT, "  %-52s %8s%n", name, format(d)));
  }

  static String format(Duration d) {
    return d.toMillis() < 10_000
        ? String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0)
        : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}

package dev.gantry.monitor.scrape;

import java.util.List;

/**
 * Requests served and 5xx answers so far, from a target's counters: a request counter with a {@code
 * code} or {@code status} label is split by it; otherwise a separate error counter is used.
 */
public record RequestCounts(double requests, double errors) {

  /** The page has none of the configured counters. */
  public static final class NotFound extends Exception {
    NotFound(String message) {
      super(message);
    }
  }

  public static RequestCounts of(
      List<PromText.Series> page, List<String> requestCounters, List<String> errorCounters)
      throws NotFound {
    for (String name : requestCounters) {
      List<PromText.Series> series = page.stream().filter(s -> s.name().equals(name)).toList();
      if (series.isEmpty()) {
        continue;
      }
      double requests = series.stream().mapToDouble(PromText.Series::value).sum();
      boolean labelled = series.stream().anyMatch(s -> statusOf(s) != null);
      if (labelled) {
        double errors =
            series.stream()
                .filter(s -> statusOf(s) != null && statusOf(s).startsWith("5"))
                .mapToDouble(PromText.Series::value)
                .sum();
        return valid(requests, errors, name);
      }
      for (String errorName : errorCounters) {
        List<PromText.Series> errs = page.stream().filter(s -> s.name().equals(errorName)).toList();
        if (!errs.isEmpty()) {
          return valid(requests, errs.stream().mapToDouble(PromText.Series::value).sum(), name);
        }
      }
      throw new NotFound(name + " has no status label and no error counter " + errorCounters);
    }
    throw new NotFound("none of the request counters " + requestCounters + " is exposed");
  }

  /** The sum of every series named {@code name}, or null when there is none or it is not finite. */
  public static Double sum(List<PromText.Series> page, String name) {
    double total = 0;
    boolean found = false;
    for (PromText.Series s : page) {
      if (s.name().equals(name)) {
        total += s.value();
        found = true;
      }
    }
    return found && Double.isFinite(total) && total >= 0 ? total : null;
  }

  private static RequestCounts valid(double requests, double errors, String name) throws NotFound {
    if (!Double.isFinite(requests) || !Double.isFinite(errors) || requests < 0 || errors < 0) {
      throw new NotFound(name + " is not a finite non-negative counter");
    }
    return new RequestCounts(requests, errors);
  }

  private static String statusOf(PromText.Series s) {
    String code = s.labels().get("code");
    return code != null ? code : s.labels().get("status");
  }
}

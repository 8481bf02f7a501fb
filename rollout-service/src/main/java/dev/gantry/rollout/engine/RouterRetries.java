package dev.gantry.rollout.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Apps whose router is behind their stored state, with how often in a row it failed and when it is
 * tried again: the wait doubles with each failure, up to a limit. Kept in memory: a restarted
 * service converges every app at startup anyway.
 */
final class RouterRetries {
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

  private final Duration firstWait;
  private final Map<String, Behind> behind = new ConcurrentHashMap<>();

  private record Behind(int failures, Instant retryAt) {}

  RouterRetries(Duration firstWait) {
    this.firstWait = firstWait;
  }

  /**
   * @return the failures in a row, this one included
   */
  int failed(String app, Instant now) {
    return behind
        .compute(
            app,
            (a, b) -> {
              int failures = b == null ? 1 : b.failures() + 1;
              return new Behind(failures, now.plus(waitAfter(failures)));
            })
        .failures();
  }

  /** The failures in a row before this attempt; 0 when the last one succeeded. */
  int failures(String app) {
    Behind b = behind.get(app);
    return b == null ? 0 : b.failures();
  }

  /**
   * @return whether the app was behind
   */
  boolean succeeded(String app) {
    return behind.remove(app) != null;
  }

  /**
   * The apps whose wait is over, each claimed until its retry has failed or succeeded: a timer that
   * asks again meanwhile does not get it a second time, which would retry it before its back-off.
   */
  List<String> claimDue(Instant now) {
    List<String> due = new java.util.ArrayList<>();
    for (Map.Entry<String, Behind> e : behind.entrySet()) {
      Behind b = e.getValue();
      if (!b.retryAt().isAfter(now)
          && behind.replace(e.getKey(), b, new Behind(b.failures(), Instant.MAX))) {
        due.add(e.getKey());
      }
    }
    return due;
  }

  Duration waitAfter(int failures) {
    Duration wait = firstWait.multipliedBy(1L << Math.min(failures - 1, 16));
    return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
  }
}

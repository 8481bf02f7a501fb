package dev.gantry.buildapi.messaging;

import dev.gantry.buildapi.persistence.DatabaseUnreachable;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Applies a consumed event, waiting for PostgreSQL while it is away. The consumers' channels stop
 * for good on a failure (their offsets must never pass an event whose effect was not stored), so a
 * database restart would otherwise leave build-api deaf to a topic until it is itself restarted.
 * Waiting here holds the partition at this event: nothing after it is applied first, and its offset
 * is committed only once it is stored. Any other failure is not waited for.
 */
final class UntilStored {
  private static final Duration FIRST_WAIT = Duration.ofMillis(250);
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

  private UntilStored() {}

  static void apply(Runnable effect, String topic, Logger log) {
    Duration wait = FIRST_WAIT;
    int attempts = 0;
    while (true) {
      try {
        effect.run();
        if (attempts > 0) {
          log.infof("%s: the database is back; the event waited %d attempts", topic, attempts + 1);
        }
        return;
      } catch (RuntimeException e) {
        if (!DatabaseUnreachable.causeOf(e)) {
          throw e;
        }
        if (attempts++ == 0) {
          log.warnf(
              "%s: the database is unreachable (%s); this event waits for it",
              topic, DatabaseUnreachable.describe(e));
        }
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(topic + ": stopped while waiting for the database", e);
      }
      wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
    }
  }
}

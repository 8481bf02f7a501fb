package dev.gantry.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RouterRetriesTest {
  private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

  @Test
  void shouldHandOutAnAppOnceWhenItsWaitIsOverUntilItsRetryFailedOrSucceeded() {
    RouterRetries retries = new RouterRetries(Duration.ofSeconds(1));
    retries.failed("a", T0);

    assertThat(retries.claimDue(T0.plusMillis(999))).isEmpty();
    assertThat(retries.claimDue(T0.plusSeconds(1))).containsExactly("a");
    // the timer asks again while the retry runs: not again, or it would beat the back-off
    assertThat(retries.claimDue(T0.plusSeconds(5))).isEmpty();
    assertThat(retries.failures("a")).isEqualTo(1);

    assertThat(retries.failed("a", T0.plusSeconds(5))).isEqualTo(2);
    assertThat(retries.claimDue(T0.plusSeconds(6))).isEmpty();
    assertThat(retries.claimDue(T0.plusSeconds(7))).containsExactly("a");
    assertThat(retries.succeeded("a")).isTrue();
    assertThat(retries.failures("a")).isZero();
  }
}

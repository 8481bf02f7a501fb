package dev.gantry.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.edge.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
  private final MovableClock clock = new MovableClock();
  private final SessionStore store = new SessionStore(clock, Duration.ofHours(8));

  @Test
  void shouldForgetASessionWhenItsTimeIsUp() {
    Session s = store.open(Role.VIEWER);
    clock.advance(Duration.ofHours(8).minusSeconds(1));
    assertThat(store.find(s.id())).contains(s);
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.find(s.id())).isEmpty();
  }

  @Test
  void shouldGiveEachSessionItsOwnUnguessableIdAndCsrfToken() {
    Session a = store.open(Role.OPERATOR);
    Session b = store.open(Role.OPERATOR);
    assertThat(a.id()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(b.id()).isNotEqualTo(a.csrf());
    assertThat(a.csrf()).isNotEqualTo(b.csrf());
    assertThat(a.toString()).doesNotContain(a.id()).doesNotContain(a.csrf());
  }

  @Test
  void shouldEndASessionOnLogout() {
    Session s = store.open(Role.OPERATOR);
    store.close(s.id());
    assertThat(store.find(s.id())).isEmpty();
  }

  @Test
  void shouldRedeemALoginCodeOnceWithinTenMinutes() {
    String code = store.issueCode();
    assertThat(store.redeem(code)).isTrue();
    assertThat(store.redeem(code)).isFalse();
    String late = store.issueCode();
    clock.advance(Duration.ofMinutes(10));
    assertThat(store.redeem(late)).isFalse();
    assertThat(store.redeem("made-up")).isFalse();
    assertThat(store.redeem(null)).isFalse();
  }

  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-12-04T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}

package dev.gantry.console.session;

import dev.gantry.edge.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions and one-time login codes, in memory: a restart logs everybody out, which a console with
 * one instance per stack can afford, and nothing secret is ever written to disk.
 */
public final class SessionStore {
  /** How long a login link works. */
  public static final Duration CODE_TTL = Duration.ofMinutes(10);

  /** Bounds the maps against a flood of logins or links. */
  static final int MAX_ENTRIES = 10_000;

  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Instant> codes = new ConcurrentHashMap<>();

  public SessionStore(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  public Duration ttl() {
    return ttl;
  }

  public Session open(Role role) {
    if (role == Role.NONE) {
      throw new IllegalArgumentException("a session needs a role");
    }
    purge(sessions.size() >= MAX_ENTRIES);
    Session s = new Session(Secrets.random256(), role, Secrets.random256(), now().plus(ttl));
    sessions.put(s.id(), s);
    return s;
  }

  /** The live session with this id; an expired one is forgotten here. */
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (!now().isBefore(s.expiresAt())) {
      sessions.remove(id, s);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  public void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  /** A new one-time code for an operator session, valid for {@link #CODE_TTL}. */
  public String issueCode() {
    purge(codes.size() >= MAX_ENTRIES);
    if (codes.size() >= MAX_ENTRIES) {
      throw new IllegalStateException("too many unused login links");
    }
    String code = Secrets.random256();
    codes.put(code, now().plus(CODE_TTL));
    return code;
  }

  /** True once for a code that was issued and has not expired; the code is spent either way. */
  public boolean redeem(String code) {
    if (code == null || code.isEmpty()) {
      return false;
    }
    Instant expires = codes.remove(code);
    return expires != null && now().isBefore(expires);
  }

  private void purge(boolean full) {
    if (!full) {
      return;
    }
    Instant now = now();
    sessions.values().removeIf(s -> !now.isBefore(s.expiresAt()));
    codes.values().removeIf(e -> !now.isBefore(e));
  }

  private Instant now() {
    return clock.instant();
  }
}

package dev.gantry.monitor.alert;

import static dev.gantry.monitor.persistence.Jdbc.getDouble;
import static dev.gantry.monitor.persistence.Jdbc.instant;
import static dev.gantry.monitor.persistence.Jdbc.setDouble;
import static dev.gantry.monitor.persistence.Jdbc.ts;

import dev.gantry.events.EventCodec;
import dev.gantry.events.analysis.Evidence.GrownStack;
import dev.gantry.monitor.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Alerts, the deliveries still to be made, and every delivery attempt, in schema monitor. */
@ApplicationScoped
public class AlertStore {
  private static final String COLUMNS =
      "id, app, rollout_id, step, detector, dedup_key, canary_version, stable_version, summary,"
          + " canary_value, stable_value, unit, action, state, opened_at, resolved_at, acked_at,"
          + " severity, stacks";

  @Inject Jdbc jdbc;

  /** One delivery attempt as recorded. */
  public record Delivery(
      String channel, String action, int attempt, Integer statusCode, String outcome, Instant at) {}

  /** A delivery still to be made: one alert, one channel, one action. */
  public record Pending(long id, String alertId, String channel, String action, int attempts) {}

  /**
   * Opens the incident, in the caller's transaction, unless this rollout already has one for the
   * detector; a new incident is queued for a trigger on each of {@code channels}.
   */
  public boolean open(Connection c, Alert a, List<String> channels) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alerts ("
                + COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (rollout_id, detector) DO NOTHING")) {
      ps.setObject(1, UUID.fromString(a.id()));
      ps.setString(2, a.app());
      ps.setString(3, a.rolloutId());
      ps.setInt(4, a.step());
      ps.setString(5, a.detector());
      ps.setString(6, a.dedupKey());
      ps.setString(7, a.canaryVersion());
      ps.setString(8, a.stableVersion());
      ps.setString(9, a.summary());
      setDouble(ps, 10, a.canaryValue());
      setDouble(ps, 11, a.stableValue());
      ps.setString(12, a.unit());
      ps.setString(13, a.action());
      ps.setString(14, a.state());
      ps.setTimestamp(15, ts(a.openedAt()));
      ps.setTimestamp(16, ts(a.resolvedAt()));
      ps.setTimestamp(17, ts(a.ackedAt()));
      ps.setString(18, a.severity());
      ps.setString(19, a.stacks().isEmpty() ? null : json(a.stacks()));
      if (ps.executeUpdate() != 1) {
        return false;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alert_outbox (alert_id, channel, action) VALUES (?, ?, 'trigger')")) {
      for (String channel : channels) {
        ps.setObject(1, UUID.fromString(a.id()));
        ps.setString(2, channel);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return true;
  }

  /** {@link #open} in a transaction of its own. */
  public boolean openNow(Alert a, List<String> channels) {
    return jdbc.tx(c -> open(c, a, channels));
  }

  /**
   * Resolves the rollout's open incidents and queues a resolve on every channel that was sent their
   * trigger; returns how many incidents it resolved.
   */
  public int resolveRollout(String rolloutId) {
    // an automatic rollback's incident is opened by the rollback itself: a redelivery of that
    // rollback must not close it
    return resolve("rollout_id = ? AND NOT starts_with(detector, ?)", rolloutId, Alert.ROLLBACK);
  }

  /** Resolves an acknowledged incident whose detector starts with {@code prefix}. */
  public int resolveAcked(String alertId, String prefix) {
    return resolve(
        "id = ?::uuid AND acked_at IS NOT NULL AND starts_with(detector, ?)", alertId, prefix);
  }

  /**
   * Resolves the open incidents of {@code app} whose detector starts with {@code prefix} and that
   * belong to another rollout than {@code rolloutId}: an automatic rollback's page ends when the
   * app's next rollout starts.
   */
  public int resolveEarlier(String app, String rolloutId, String prefix) {
    return resolve(
        "app = ? AND rollout_id <> ? AND starts_with(detector, ?)", app, rolloutId, prefix);
  }

  /** Resolves the rollout's open incidents whose detector starts with {@code prefix}. */
  public int resolvePaused(String rolloutId, String prefix) {
    return resolve("rollout_id = ? AND starts_with(detector, ?)", rolloutId, prefix);
  }

  private int resolve(String where, String... args) {
    return jdbc.tx(
        c -> {
          List<Alert> resolved;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE alerts SET state = 'RESOLVED', resolved_at = now()"
                      + " WHERE "
                      + where
                      + " AND state = 'OPEN' RETURNING "
                      + COLUMNS)) {
            for (int i = 0; i < args.length; i++) {
              ps.setString(i + 1, args[i]);
            }
            resolved = read(ps);
          }
          // a re-send not yet due would hold the resolve behind it: it is not needed any more
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE alert_outbox SET done_at = now(), outcome = 'not needed: resolved'"
                      + " WHERE alert_id = ? AND action = 'resend' AND done_at IS NULL")) {
            for (Alert a : resolved) {
              ps.setObject(1, UUID.fromString(a.id()));
              ps.executeUpdate();
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO alert_outbox (alert_id, channel, action)"
                      + " SELECT alert_id, channel, 'resolve' FROM alert_outbox"
                      + " WHERE alert_id = ? AND action = 'trigger' ORDER BY id")) {
            for (Alert a : resolved) {
              ps.setObject(1, UUID.fromString(a.id()));
              ps.executeUpdate();
            }
          }
          return resolved.size();
        });
  }

  /**
   * Queues the trigger of a still open incident again on {@code channel} after {@code after}, as
   * Prometheus re-sends a firing alert to Alertmanager; nothing when it is no longer open.
   */
  public void queueResend(String alertId, String channel, Duration after) {
    jdbc.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO alert_outbox (alert_id, channel, action, next_attempt_at)"
                      + " SELECT id, ?, 'resend', now() + ? * interval '1 millisecond'"
                      + " FROM alerts WHERE id = ? AND state = 'OPEN'")) {
            ps.setString(1, channel);
            ps.setLong(2, after.toMillis());
            ps.setObject(3, UUID.fromString(alertId));
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Claims up to {@code limit} deliveries that are due, oldest first, for {@code lease}: a claimed
   * row is due again only when its lease runs out (the process that claimed it died). A row waits
   * while an older one for the same alert and channel is not done.
   */
  public List<Pending> claimDue(Duration lease, int limit) {
    return jdbc.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE alert_outbox SET next_attempt_at = now() + ? * interval '1 millisecond'"
                      + " WHERE id IN (SELECT o.id FROM alert_outbox o"
                      + " WHERE o.done_at IS NULL AND o.next_attempt_at <= now()"
                      + " AND NOT EXISTS (SELECT 1 FROM alert_outbox e WHERE e.alert_id ="
                      + " o.alert_id AND e.channel = o.channel AND e.id < o.id AND e.done_at IS"
                      + " NULL) ORDER BY o.id LIMIT ? FOR UPDATE SKIP LOCKED)"
                      + " RETURNING id, alert_id, channel, action, attempts")) {
            ps.setLong(1, lease.toMillis());
            ps.setInt(2, limit);
            List<Pending> claimed =
                Jdbc.list(
                    ps,
                    rs ->
                        new Pending(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getInt(5)));
            return claimed.stream()
                .sorted(java.util.Comparator.comparingLong(Pending::id))
                .toList();
          }
        });
  }

  /**
   * Records one attempt of {@code p} and, in the same transaction, either ends the delivery ({@code
   * retryAt} null) or makes it due again at {@code retryAt}.
   */
  public void attempted(Pending p, Integer status, String outcome, Instant retryAt) {
    jdbc.tx(
        c -> {
          insertDelivery(
              c, p.alertId(), p.channel(), p.action(), p.attempts() + 1, status, outcome);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE alert_outbox SET attempts = attempts + 1, outcome = ?,"
                      + " next_attempt_at = coalesce(?::timestamptz, next_attempt_at),"
                      + " done_at = CASE WHEN ? THEN now() END WHERE id = ?")) {
            ps.setString(1, outcome);
            ps.setTimestamp(2, ts(retryAt));
            ps.setBoolean(3, retryAt == null);
            ps.setLong(4, p.id());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Ends a delivery that can no longer be made, without an attempt. */
  public void abandon(Pending p, String outcome) {
    jdbc.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE alert_outbox SET outcome = ?, done_at = now() WHERE id = ?")) {
            ps.setString(1, outcome);
            ps.setLong(2, p.id());
            ps.executeUpdate();
          }
          return null;
        });
  }

  public Optional<Alert> find(String id) {
    return jdbc.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            return read(ps).stream().findFirst();
          }
        });
  }

  public Optional<Alert> ack(UUID id) {
    return jdbc.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE alerts SET acked_at = coalesce(acked_at, now()) WHERE id = ? RETURNING "
                      + COLUMNS)) {
            ps.setObject(1, id);
            return read(ps).stream().findFirst();
          }
        });
  }

  public List<Alert> list(String app, int limit) {
    return jdbc.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM alerts WHERE (?::text IS NULL OR app = ?) ORDER BY opened_at DESC"
                      + " LIMIT "
                      + limit)) {
            ps.setString(1, app);
            ps.setString(2, app);
            return read(ps);
          }
        });
  }

  private static void insertDelivery(
      Connection c,
      String alertId,
      String channel,
      String action,
      int attempt,
      Integer status,
      String outcome)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alert_deliveries (alert_id, channel, action, attempt, status_code,"
                + " outcome) VALUES (?,?,?,?,?,?)")) {
      ps.setObject(1, UUID.fromString(alertId));
      ps.setString(2, channel);
      ps.setString(3, action);
      ps.setInt(4, attempt);
      ps.setObject(5, status);
      ps.setString(6, outcome);
      ps.executeUpdate();
    }
  }

  public List<Delivery> deliveries(String alertId) {
    return jdbc.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT channel, action, attempt, status_code, outcome, at FROM alert_deliveries"
                      + " WHERE alert_id = ? ORDER BY id")) {
            ps.setObject(1, UUID.fromString(alertId));
            return Jdbc.list(
                ps,
                rs ->
                    new Delivery(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getInt(3),
                        (Integer) rs.getObject(4),
                        rs.getString(5),
                        instant(rs.getTimestamp(6))));
          }
        });
  }

  private static List<Alert> read(PreparedStatement ps) throws SQLException {
    return Jdbc.list(
        ps,
        rs ->
            new Alert(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                getDouble(rs, 10),
                getDouble(rs, 11),
                rs.getString(12),
                rs.getString(13),
                rs.getString(14),
                instant(rs.getTimestamp(15)),
                instant(rs.getTimestamp(16)),
                instant(rs.getTimestamp(17)),
                rs.getString(18),
                stacks(rs.getString(19))));
  }

  private static String json(List<GrownStack> stacks) {
    try {
      return EventCodec.mapper().writeValueAsString(stacks);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<GrownStack> stacks(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return List.of(EventCodec.mapper().readValue(json, GrownStack[].class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored stacks are not JSON", e);
    }
  }
}

package dev.gantry.monitor.alert;

import static dev.gantry.monitor.persistence.Jdbc.getDouble;
import static dev.gantry.monitor.persistence.Jdbc.instant;
import static dev.gantry.monitor.persistence.Jdbc.setDouble;
import static dev.gantry.monitor.persistence.Jdbc.ts;

import dev.gantry.monitor.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Alerts and every delivery attempt, in schema monitor. */
@ApplicationScoped
public class AlertStore {
  private static final String COLUMNS =
      "id, app, rollout_id, step, detector, dedup_key, canary_version, stable_version, summary,"
          + " canary_value, stable_value, unit, action, state, opened_at, resolved_at, acked_at";

  @Inject Jdbc jdbc;

  /** One delivery attempt as recorded. */
  public record Delivery(
      String channel, String action, int attempt, Integer statusCode, String outcome, Instant at) {}

  /** Opens the incident unless this rollout already has one for the detector. */
  public boolean open(Alert a) {
    return jdbc.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO alerts ("
                      + COLUMNS
                      + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
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
            return ps.executeUpdate() == 1;
          }
        });
  }

  /** Resolves the rollout's open incidents and returns them. */
  public List<Alert> resolveRollout(String rolloutId) {
    return jdbc.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE alerts SET state = 'RESOLVED', resolved_at = now()"
                      + " WHERE rollout_id = ? AND state = 'OPEN' RETURNING "
                      + COLUMNS)) {
            ps.setString(1, rolloutId);
            return read(ps);
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

  public void recordDelivery(
      String alertId, String channel, String action, int attempt, Integer status, String outcome) {
    jdbc.tx(
        c -> {
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
            return ps.executeUpdate();
          }
        });
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
                instant(rs.getTimestamp(17))));
  }
}

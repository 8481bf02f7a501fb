package dev.gantry.rollout.persistence;

import static dev.gantry.rollout.persistence.Jdbc.failed;
import static dev.gantry.rollout.persistence.Jdbc.instant;
import static dev.gantry.rollout.persistence.Jdbc.timestamp;

import dev.gantry.events.EventCodec;
import dev.gantry.events.EventData;
import dev.gantry.events.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * rollout.events waiting to be published. An event is written in the transaction of the state it
 * reports and keeps its id when it is published again after a crash, so consumers can drop the
 * copy.
 */
@ApplicationScoped
public class Outbox {
  private final DataSource dataSource;

  @Inject
  public Outbox(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Adds an event inside the caller's transaction. */
  public void add(Connection c, UUID rolloutId, EventData data, Instant now) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into outbox (event_id, app, rollout_id, event_type, payload, created_at)"
                + " values (?, ?, ?, ?, ?::jsonb, ?)")) {
      insert.setObject(1, UUID.randomUUID());
      insert.setString(2, data.subject());
      insert.setObject(3, rolloutId);
      insert.setString(4, EventTypes.typeOf(data.getClass()));
      insert.setString(5, new String(EventCodec.encodeData(data), StandardCharsets.UTF_8));
      insert.setObject(6, timestamp(now));
      insert.executeUpdate();
    }
  }

  /** The app's unpublished events, oldest first. */
  public List<Entry> pending(String app) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement select =
            c.prepareStatement(
                "select id, event_id, app, rollout_id, event_type, payload::text, created_at"
                    + " from outbox where app = ? and published_at is null order by id")) {
      select.setString(1, app);
      List<Entry> entries = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          entries.add(
              new Entry(
                  rs.getLong(1),
                  rs.getObject(2, UUID.class),
                  rs.getString(3),
                  rs.getObject(4, UUID.class),
                  rs.getString(5),
                  rs.getString(6).getBytes(StandardCharsets.UTF_8),
                  instant(rs, 7)));
        }
      }
      return entries;
    } catch (SQLException e) {
      throw failed("read the outbox of " + app, e);
    }
  }

  /** Apps with events still to publish, e.g. after a restart. */
  public List<String> appsWithPending() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement select =
            c.prepareStatement(
                "select distinct app from outbox where published_at is null order by app");
        ResultSet rs = select.executeQuery()) {
      List<String> apps = new ArrayList<>();
      while (rs.next()) {
        apps.add(rs.getString(1));
      }
      return apps;
    } catch (SQLException e) {
      throw failed("read the outbox", e);
    }
  }

  public void markPublished(long id, Instant now) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement update =
            c.prepareStatement("update outbox set published_at = ? where id = ?")) {
      update.setObject(1, timestamp(now));
      update.setLong(2, id);
      update.executeUpdate();
    } catch (SQLException e) {
      throw failed("mark outbox entry " + id + " published", e);
    }
  }

  /** An event as it waits in the outbox: its data already serialised. */
  public record Entry(
      long id,
      UUID eventId,
      String app,
      UUID rolloutId,
      String type,
      byte[] payload,
      Instant createdAt) {}
}

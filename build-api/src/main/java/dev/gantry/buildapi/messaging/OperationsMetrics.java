package dev.gantry.buildapi.messaging;

import dev.gantry.buildapi.domain.BuildStatus;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Gauges read from the database: builds by status and the outbox backlog. One query per scrape at
 * most every few seconds, however many gauges are read.
 */
@ApplicationScoped
public class OperationsMetrics {
  private static final Logger LOG = Logger.getLogger(OperationsMetrics.class);
  private static final long MAX_AGE_MILLIS = 5_000;

  @Inject MeterRegistry registry;
  @Inject AgroalDataSource dataSource;

  private record Snapshot(
      long takenAt, Map<BuildStatus, Long> builds, long outboxPending, double outboxLagSeconds) {}

  private volatile Snapshot snapshot = new Snapshot(0, new EnumMap<>(BuildStatus.class), 0, 0);

  void register(@Observes StartupEvent ignored) {
    for (BuildStatus status : BuildStatus.values()) {
      Gauge.builder("gantry.builds", this, m -> m.fresh().builds().getOrDefault(status, 0L))
          .tag("status", status.name())
          .description("Builds by status")
          .register(registry);
    }
    Gauge.builder("gantry.outbox.pending", this, m -> m.fresh().outboxPending())
        .description("Events written but not yet acknowledged by Kafka")
        .register(registry);
    Gauge.builder("gantry.outbox.lag.seconds", this, m -> m.fresh().outboxLagSeconds())
        .description("Age of the oldest event still waiting in the outbox")
        .register(registry);
  }

  private synchronized Snapshot fresh() {
    Snapshot s = snapshot;
    if (System.currentTimeMillis() - s.takenAt() < MAX_AGE_MILLIS) {
      return s;
    }
    Map<BuildStatus, Long> builds = new EnumMap<>(BuildStatus.class);
    long pending = 0;
    double lag = 0;
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("select status, count(*) from builds group by status")) {
        while (rs.next()) {
          builds.put(BuildStatus.valueOf(rs.getString(1)), rs.getLong(2));
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "select count(*), coalesce(extract(epoch from now() - min(created_at)), 0)"
                  + " from outbox")) {
        if (rs.next()) {
          pending = rs.getLong(1);
          lag = rs.getDouble(2);
        }
      }
    } catch (Exception e) {
      LOG.debugf("metrics snapshot failed: %s", e.getMessage());
      return s;
    }
    snapshot = new Snapshot(System.currentTimeMillis(), builds, pending, lag);
    return snapshot;
  }
}

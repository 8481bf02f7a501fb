package dev.gantry.monitor.persistence;

import static dev.gantry.monitor.persistence.Jdbc.getDouble;
import static dev.gantry.monitor.persistence.Jdbc.instant;
import static dev.gantry.monitor.persistence.Jdbc.setDouble;
import static dev.gantry.monitor.persistence.Jdbc.ts;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gantry.edge.Transactions;
import dev.gantry.events.EventCodec;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.events.rollout.Target;
import dev.gantry.monitor.scrape.CpuProfile;
import dev.gantry.monitor.scrape.Sample;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Schema {@code monitor} through plain JDBC. Each method is one transaction; the consumer's
 * processed-event id is written in the same transaction as the event's effect.
 */
@ApplicationScoped
public class MonitorStore {

  @Inject Jdbc jdbc;

  private <T> T tx(Transactions.Work<T> work) {
    return jdbc.tx(work);
  }

  private static boolean firstTime(Connection c, String eventId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO processed_events (event_id) VALUES (?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, eventId);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Records a new step: the rollout's earlier steps stop being scraped. A step whose deadline has
   * passed is recorded as stopped.
   *
   * @return the step to scrape, or empty for a redelivered event or an expired step
   */
  public Optional<StepRow> stepStarted(String eventId, RolloutStepStarted e, Instant now) {
    return tx(
        c -> {
          if (!firstTime(c, eventId)) {
            return Optional.empty();
          }
          stopRunning(c, e.rolloutId(), "step " + e.step() + " started");
          boolean expired = e.deadline() != null && e.deadline().isBefore(now);
          String state = expired ? StepRow.STOPPED : StepRow.RUNNING;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO analyses (rollout_id, step, app, weight, canary_version,"
                      + " stable_version, canary_commit, canary_build, canary_target, stable_target,"
                      + " started_at, deadline, state, stop_reason)"
                      + " VALUES (?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?,?,?,?)"
                      + " ON CONFLICT (rollout_id, step) DO NOTHING")) {
            ps.setString(1, e.rolloutId());
            ps.setInt(2, e.step());
            ps.setString(3, e.app());
            ps.setInt(4, e.weight());
            ps.setString(5, e.canary() == null ? null : e.canary().version());
            ps.setString(6, e.stable() == null ? null : e.stable().version());
            ps.setString(7, e.canary() == null ? null : e.canary().commit());
            ps.setString(8, e.canary() == null ? null : e.canary().buildId());
            ps.setString(9, json(e.canaryTarget()));
            ps.setString(10, e.stableTarget() == null ? null : json(e.stableTarget()));
            ps.setTimestamp(11, ts(e.startedAt() == null ? now : e.startedAt()));
            ps.setTimestamp(12, e.deadline() == null ? null : ts(e.deadline()));
            ps.setString(13, state);
            ps.setString(14, expired ? "its deadline had passed when the monitor saw it" : null);
            if (ps.executeUpdate() == 0 || expired) {
              return Optional.empty();
            }
          }
          return step(c, e.rolloutId(), e.step());
        });
  }

  /** The rollout ended: nothing of it is scraped any more. */
  public boolean rolloutEnded(String eventId, String rolloutId, String why) {
    return tx(c -> firstTime(c, eventId) && stopRunning(c, rolloutId, why) >= 0);
  }

  private static int stopRunning(Connection c, String rolloutId, String why) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE analyses SET state = 'STOPPED', stop_reason = ?, updated_at = now()"
                + " WHERE rollout_id = ? AND state = 'RUNNING'")) {
      ps.setString(1, why);
      ps.setString(2, rolloutId);
      return ps.executeUpdate();
    }
  }

  public List<StepRow> running() {
    return tx(c -> steps(c, "WHERE state = 'RUNNING' ORDER BY started_at", List.of()));
  }

  public List<StepRow> stepsOfApp(String app, int limit) {
    return tx(
        c ->
            steps(
                c,
                "WHERE app = ? ORDER BY started_at DESC, step DESC LIMIT " + limit,
                List.of(app)));
  }

  public List<StepRow> stepsOfRollout(String rolloutId) {
    return tx(c -> steps(c, "WHERE rollout_id = ? ORDER BY step", List.of(rolloutId)));
  }

  private static Optional<StepRow> step(Connection c, String rolloutId, int step)
      throws SQLException {
    return steps(c, "WHERE rollout_id = ? AND step = ?", List.of(rolloutId, step)).stream()
        .findFirst();
  }

  private static List<StepRow> steps(Connection c, String where, List<Object> args)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT rollout_id, step, app, weight, canary_version, stable_version, canary_commit,"
                + " canary_build, canary_target::text, stable_target::text, started_at, deadline,"
                + " state, stop_reason FROM analyses "
                + where)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      return Jdbc.list(
          ps,
          rs ->
              new StepRow(
                  rs.getString(1),
                  rs.getInt(2),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8),
                  target(rs.getString(9)),
                  target(rs.getString(10)),
                  instant(rs.getTimestamp(11)),
                  instant(rs.getTimestamp(12)),
                  rs.getString(13),
                  rs.getString(14)));
    }
  }

  private static UUID insertProfile(
      Connection c,
      String rolloutId,
      int step,
      String track,
      String kind,
      Instant takenAt,
      byte[] data,
      String summary,
      String top)
      throws SQLException {
    UUID id = UUID.randomUUID();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO profiles (id, rollout_id, step, track, kind, taken_at, data, summary, top)"
                + " VALUES (?,?,?,?,?,?,?,?,?)")) {
      ps.setObject(1, id);
      ps.setString(2, rolloutId);
      ps.setInt(3, step);
      ps.setString(4, track);
      ps.setString(5, kind);
      ps.setTimestamp(6, ts(takenAt));
      ps.setBytes(7, data);
      ps.setString(8, summary);
      ps.setString(9, top);
      ps.executeUpdate();
    }
    return id;
  }

  /** A function of a CPU profile's top: its flat and cumulative share of the profile's CPU. */
  public record TopFunction(String function, double flat, double cum) {}

  private static String topJson(CpuProfile p) {
    if (p.missing() || p.top() == null) {
      return null;
    }
    List<TopFunction> top =
        p.top().stream()
            .map(
                f ->
                    new TopFunction(
                        f.function(),
                        p.cpuNanos() == 0 ? 0 : (double) f.flat() / p.cpuNanos(),
                        p.cpuNanos() == 0 ? 0 : (double) f.cumulative() / p.cpuNanos()))
            .toList();
    try {
      return dev.gantry.events.EventCodec.mapper().writeValueAsString(top);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<TopFunction> top(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return List.of(dev.gantry.events.EventCodec.mapper().readValue(json, TopFunction[].class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a stored top is not JSON", e);
    }
  }

  /** Stores a CPU profile as the target sent it, with its one-line summary. */
  public UUID saveCpuProfile(String rolloutId, int step, CpuProfile p) {
    return tx(
        c ->
            insertProfile(
                c,
                rolloutId,
                step,
                p.track(),
                "cpu",
                p.takenAt(),
                p.raw(),
                p.summary(),
                topJson(p)));
  }

  /** A stored CPU profile as the API lists it. */
  public record ProfileRow(
      String id,
      int step,
      String track,
      String kind,
      Instant takenAt,
      String summary,
      List<TopFunction> top) {}

  public List<ProfileRow> cpuProfilesOfRollout(String rolloutId) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, step, track, kind, taken_at, summary, top FROM profiles"
                      + " WHERE rollout_id = ? AND kind = 'cpu' ORDER BY step, taken_at, track")) {
            ps.setString(1, rolloutId);
            return Jdbc.list(
                ps,
                rs ->
                    new ProfileRow(
                        rs.getObject(1).toString(),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getString(4),
                        instant(rs.getTimestamp(5)),
                        rs.getString(6),
                        top(rs.getString(7))));
          }
        });
  }

  /** Stores one scrape, with its raw goroutine profile when there is one. */
  public void saveSample(String rolloutId, int step, Sample s) {
    tx(
        c -> {
          UUID profileId =
              s.goroutineProfile() == null
                  ? null
                  : insertProfile(
                      c,
                      rolloutId,
                      step,
                      s.track(),
                      "goroutine",
                      s.takenAt(),
                      s.goroutineProfile(),
                      null,
                      null);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO samples (rollout_id, step, track, seq, taken_at, goroutines,"
                      + " heap_inuse, requests, errors, missing_reason, profile_id, latency_sum,"
                      + " latency_count, host_load_per_core, cpu_seconds, go_goroutines,"
                      + " rss_bytes, heap_inuse_objects)"
                      + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                      + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, rolloutId);
            ps.setInt(2, step);
            ps.setString(3, s.track());
            ps.setInt(4, s.seq());
            ps.setTimestamp(5, ts(s.takenAt()));
            setDouble(ps, 6, s.goroutines());
            setDouble(ps, 7, s.heapInuseBytes());
            setDouble(ps, 8, s.requests());
            setDouble(ps, 9, s.errors());
            ps.setString(10, s.missingReason());
            ps.setObject(11, profileId);
            setDouble(ps, 12, s.latencySum());
            setDouble(ps, 13, s.latencyCount());
            setDouble(ps, 14, s.hostLoadPerCore());
            setDouble(ps, 15, s.cpuSeconds());
            setDouble(ps, 16, s.goGoroutines());
            setDouble(ps, 17, s.rssBytes());
            setDouble(ps, 18, s.heapInuseObjects());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** The next scrape number of a step, so that a resumed analysis does not reuse one. */
  public int nextSeq(String rolloutId, int step) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT coalesce(max(seq) + 1, 0) FROM samples WHERE rollout_id = ? AND step = ?")) {
            ps.setString(1, rolloutId);
            ps.setInt(2, step);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

  /** A stored sample as the API shows it. */
  public record SampleRow(
      int step,
      String track,
      int seq,
      Instant takenAt,
      Double goroutines,
      Double heapInuseBytes,
      Double requests,
      Double errors,
      String missingReason,
      String profileId,
      Double latencySum,
      Double latencyCount,
      Double hostLoadPerCore,
      Double cpuSeconds,
      Double goGoroutines,
      Double rssBytes,
      Double heapInuseObjects) {}

  public List<SampleRow> samplesOfRollout(String rolloutId) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT step, track, seq, taken_at, goroutines, heap_inuse, requests, errors,"
                      + " missing_reason, profile_id, latency_sum, latency_count, host_load_per_core,"
                      + " cpu_seconds, go_goroutines, rss_bytes, heap_inuse_objects"
                      + " FROM samples"
                      + " WHERE rollout_id = ?"
                      + " ORDER BY step, track, seq")) {
            ps.setString(1, rolloutId);
            return Jdbc.list(
                ps,
                rs ->
                    new SampleRow(
                        rs.getInt(1),
                        rs.getString(2),
                        rs.getInt(3),
                        instant(rs.getTimestamp(4)),
                        getDouble(rs, 5),
                        getDouble(rs, 6),
                        getDouble(rs, 7),
                        getDouble(rs, 8),
                        rs.getString(9),
                        rs.getObject(10) == null ? null : rs.getObject(10).toString(),
                        getDouble(rs, 11),
                        getDouble(rs, 12),
                        getDouble(rs, 13),
                        getDouble(rs, 14),
                        getDouble(rs, 15),
                        getDouble(rs, 16),
                        getDouble(rs, 17)));
          }
        });
  }

  /** A raw profile and its kind ({@code goroutine}, {@code cpu}). */
  public record RawProfile(String kind, byte[] data) {}

  public Optional<RawProfile> profile(UUID id) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT kind, data FROM profiles WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(new RawProfile(rs.getString(1), rs.getBytes(2)))
                  : Optional.empty();
            }
          }
        });
  }

  /**
   * Stores the step's verdict events and ends its analysis, in one transaction: a step has exactly
   * one verdict even if the process dies before publishing (the unpublished rows are sent then).
   */
  /** Stores a step's verdict events, with {@code alsoDone} (the incidents it opens) in one go. */
  public void saveVerdict(List<StoredVerdict> events, Transactions.Work<?> alsoDone) {
    tx(
        c -> {
          alsoDone.run(c);
          for (StoredVerdict v : events) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO verdicts (id, rollout_id, step, app, verdict, reason, event_type,"
                        + " payload, issued_at) VALUES (?,?,?,?,?,?,?,?::jsonb,?)")) {
              ps.setObject(1, UUID.fromString(v.id()));
              ps.setString(2, v.rolloutId());
              ps.setInt(3, v.step());
              ps.setString(4, v.app());
              ps.setString(5, v.verdict());
              ps.setString(6, v.reason());
              ps.setString(7, v.eventType());
              ps.setString(8, v.payload());
              ps.setTimestamp(9, ts(v.issuedAt()));
              ps.executeUpdate();
            }
          }
          StoredVerdict first = events.get(0);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE analyses SET state = 'DONE', updated_at = now()"
                      + " WHERE rollout_id = ? AND step = ?")) {
            ps.setString(1, first.rolloutId());
            ps.setInt(2, first.step());
            ps.executeUpdate();
          }
          return null;
        });
  }

  public void markPublished(String id) {
    tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE verdicts SET published_at = now() WHERE id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            ps.executeUpdate();
          }
          return null;
        });
  }

  public List<StoredVerdict> unpublished() {
    return verdicts("WHERE published_at IS NULL ORDER BY issued_at", null);
  }

  public List<StoredVerdict> verdictsOfRollout(String rolloutId) {
    return verdicts("WHERE rollout_id = ? ORDER BY issued_at, event_type", rolloutId);
  }

  private List<StoredVerdict> verdicts(String where, String arg) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, rollout_id, step, app, verdict, reason, event_type, payload::text,"
                      + " issued_at, published_at FROM verdicts "
                      + where)) {
            if (arg != null) {
              ps.setString(1, arg);
            }
            return Jdbc.list(
                ps,
                rs ->
                    new StoredVerdict(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getInt(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        instant(rs.getTimestamp(9)),
                        instant(rs.getTimestamp(10))));
          }
        });
  }

  // --- conversions

  private static String json(Target t) {
    try {
      return EventCodec.mapper().writeValueAsString(t);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Target target(String json) {
    if (json == null) {
      return null;
    }
    try {
      return EventCodec.mapper().readValue(json, Target.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored target is not JSON", e);
    }
  }
}

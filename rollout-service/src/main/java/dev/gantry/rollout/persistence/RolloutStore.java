package dev.gantry.rollout.persistence;

import static dev.gantry.rollout.persistence.Jdbc.failed;
import static dev.gantry.rollout.persistence.Jdbc.instant;
import static dev.gantry.rollout.persistence.Jdbc.timestamp;

import dev.gantry.rollout.domain.Decision;
import dev.gantry.rollout.domain.Phase;
import dev.gantry.rollout.domain.Phases;
import dev.gantry.rollout.domain.Reconciler;
import dev.gantry.rollout.domain.Release;
import dev.gantry.rollout.domain.Request;
import dev.gantry.rollout.domain.RequestResult;
import dev.gantry.rollout.domain.Requests;
import dev.gantry.rollout.domain.RolloutSpec;
import dev.gantry.rollout.domain.RolloutStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Rollouts in PostgreSQL. Every write is one transaction that loads the row, computes with the pure
 * domain functions and writes back only if nobody else wrote in between ({@code lock_version});
 * otherwise it starts over from the newer row. No row locks are held while computing, and a write
 * that lost is never applied on top of a status it did not see.
 */
@ApplicationScoped
public class RolloutStore {

  static final int MAX_ATTEMPTS = 8;
  private static final String ONE_ACTIVE_PER_APP = "rollouts_one_active_per_app";
  private static final String ONE_PER_BUILD = "rollouts_one_per_build";
  private static final String COLUMNS =
      "id, spec, status, phase, lock_version, wake_at, created_at, updated_at";

  private final DataSource dataSource;

  @Inject
  public RolloutStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Stores a new, pending rollout. It is due at once ({@code wake_at = now}), so that a timer
   * starts it even if whoever created it stops before reconciling it.
   *
   * @throws ActiveRolloutExistsException when the app has a rollout that has not ended
   */
  public StoredRollout create(RolloutSpec spec, Instant now) {
    try (Connection c = dataSource.getConnection()) {
      return create(c, spec, now);
    } catch (SQLException e) {
      throw failed("create a rollout for " + spec.app(), e);
    }
  }

  /**
   * As {@link #create(RolloutSpec, Instant)}, inside the caller's transaction.
   *
   * @throws ActiveRolloutExistsException when the app has a rollout that has not ended
   * @throws BuildRolledOutException when the canary's build has had a rollout already
   */
  public StoredRollout create(Connection c, RolloutSpec spec, Instant now) throws SQLException {
    UUID id = UUID.randomUUID();
    RolloutStatus status = RolloutStatus.initial();
    Phase phase = Phases.derive(spec, status);
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into rollouts (id, app, spec, status, phase, lock_version, wake_at,"
                + " created_at, updated_at) values (?, ?, ?::jsonb, ?::jsonb, ?, 0, ?, ?, ?)")) {
      insert.setObject(1, id);
      insert.setString(2, spec.app());
      insert.setString(3, RolloutJson.write(spec));
      insert.setString(4, RolloutJson.write(status));
      insert.setString(5, phase.name());
      insert.setObject(6, timestamp(now));
      insert.setObject(7, timestamp(now));
      insert.setObject(8, timestamp(now));
      insert.executeUpdate();
    } catch (SQLException e) {
      if (Jdbc.isUniqueViolation(e, ONE_ACTIVE_PER_APP)) {
        throw new ActiveRolloutExistsException(spec.app(), e);
      }
      if (Jdbc.isUniqueViolation(e, ONE_PER_BUILD)) {
        throw new BuildRolledOutException(spec.canary().buildId(), e);
      }
      throw e;
    }
    return new StoredRollout(id, spec, status, phase, 0, Optional.of(now), now, now);
  }

  /** The app's rollout that has not ended, if any. */
  public Optional<StoredRollout> active(Connection c, String app) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "select "
                + COLUMNS
                + " from rollouts where app = ? and phase not in ('PROMOTED', 'ABORTED',"
                + " 'ROLLED_BACK')")) {
      select.setString(1, app);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  public Optional<StoredRollout> active(String app) {
    try (Connection c = dataSource.getConnection()) {
      return active(c, app);
    } catch (SQLException e) {
      throw failed("find the running rollout of " + app, e);
    }
  }

  /** Whether a rollout of this build exists, whatever its phase. */
  public boolean existsForBuild(Connection c, String buildId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("select 1 from rollouts where spec -> 'canary' ->> 'buildId' = ?")) {
      select.setString(1, buildId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The newest build the app has had a rollout of, whatever its outcome. */
  public Optional<Release> newestRolledOut(Connection c, String app) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "select spec -> 'canary' from rollouts where app = ?"
                + " and spec -> 'canary' ->> 'builtAt' is not null"
                + " order by (spec -> 'canary' ->> 'builtAt')::timestamptz desc limit 1")) {
      select.setString(1, app);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(RolloutJson.readRelease(rs.getString(1))) : Optional.empty();
      }
    }
  }

  /**
   * Rollouts of registered apps whose timer is due, most overdue first. A rollout without its app
   * has no router to act on.
   */
  public List<Due> due(Instant now, int limit) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement select =
            c.prepareStatement(
                "select r.id, r.app from rollouts r join apps a on a.name = r.app"
                    + " where r.wake_at <= ? order by r.wake_at limit ?")) {
      select.setObject(1, timestamp(now));
      select.setInt(2, limit);
      List<Due> due = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          due.add(new Due(rs.getObject(1, UUID.class), rs.getString(2)));
        }
      }
      return due;
    } catch (SQLException e) {
      throw failed("find due rollouts", e);
    }
  }

  /** A rollout the timer must reconcile. */
  public record Due(UUID id, String app) {}

  public Optional<StoredRollout> load(UUID id) {
    try (Connection c = dataSource.getConnection()) {
      return load(c, id);
    } catch (SQLException e) {
      throw failed("load rollout " + id, e);
    }
  }

  /**
   * Reconciles the rollout as of {@code now} and stores the result, with its transitions, in one
   * transaction. Nothing is written when nothing changed, so rerunning it is free.
   *
   * @return the stored rollout and the actions the caller performs after this returns
   */
  public Reconciled reconcile(UUID id, Instant now) {
    return reconcile(id, now, (c, before, after) -> {});
  }

  /**
   * As {@link #reconcile(UUID, Instant)}, and {@code alsoWrite} stores what follows from the
   * reconcile (the app's releases, the events that report it) in the same transaction. It is called
   * only when the reconcile changed something.
   */
  public Reconciled reconcile(UUID id, Instant now, AlsoWrite alsoWrite) {
    return inTransaction(
        id,
        c -> {
          StoredRollout current = load(c, id).orElseThrow(() -> new RolloutNotFoundException(id));
          Decision decision = Reconciler.reconcile(current.spec(), current.status(), now);
          if (!decision.hasActions()
              && decision.status().equals(current.status())
              && sameInstant(decision.wakeAt(), current.wakeAt())) {
            return Optional.of(new Reconciled(current, List.of()));
          }
          Optional<StoredRollout> written =
              write(c, current, decision.status(), decision.wakeAt(), now);
          if (written.isEmpty()) {
            return Optional.empty();
          }
          for (Transition t : History.of(decision.actions())) {
            insertTransition(c, id, t);
          }
          Reconciled reconciled = new Reconciled(written.get(), decision.actions());
          alsoWrite.write(c, current, reconciled);
          return Optional.of(reconciled);
        });
  }

  /**
   * Records a request with the rollout. An accepted request makes the rollout due at once, so that
   * a timer acts on it even if the caller stops before reconciling.
   */
  public RequestResult submit(UUID id, Request request, Instant now) {
    return inTransaction(
        id,
        c -> {
          StoredRollout current = load(c, id).orElseThrow(() -> new RolloutNotFoundException(id));
          RequestResult result = Requests.submit(current.spec(), current.status(), request, now);
          if (result instanceof RequestResult.Accepted accepted
              && !accepted.status().equals(current.status())) {
            Optional<Instant> due =
                current.wakeAt().filter(w -> w.isBefore(now)).or(() -> Optional.of(now));
            if (write(c, current, accepted.status(), due, now).isEmpty()) {
              return Optional.empty();
            }
          }
          return Optional.of(result);
        });
  }

  /**
   * Records that the router applied the rollout's {@code step} at {@code weight} at {@code at}, so
   * that the step's gate counts from then ({@link Reconciler#applied}). The rollout is made due at
   * once, for a timer to reconcile it should the caller stop before it does.
   *
   * @return whether anything changed: false when the rollout has moved on since the route was read,
   *     or the step was recorded already
   */
  public boolean markApplied(UUID id, int step, int weight, Instant at) {
    return inTransaction(
        id,
        c -> {
          StoredRollout current = load(c, id).orElseThrow(() -> new RolloutNotFoundException(id));
          RolloutStatus applied =
              Reconciler.applied(current.spec(), current.status(), step, weight, at);
          if (applied.equals(current.status())) {
            return Optional.of(false);
          }
          return write(c, current, applied, Optional.of(at), at).map(w -> true);
        });
  }

  /** The rollout's history, oldest first: phase changes and the steps it entered. */
  public List<Transition> transitions(UUID id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement select =
            c.prepareStatement(
                "select from_phase, to_phase, reason, message, at, step, weight"
                    + " from rollout_transitions where rollout_id = ? order by id")) {
      select.setObject(1, id);
      List<Transition> transitions = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          transitions.add(
              new Transition(
                  Phase.valueOf(rs.getString(1)),
                  Phase.valueOf(rs.getString(2)),
                  rs.getString(3),
                  rs.getString(4),
                  instant(rs, 5),
                  rs.getObject(6, Integer.class),
                  rs.getObject(7, Integer.class)));
        }
      }
      return transitions;
    } catch (SQLException e) {
      throw failed("load the transitions of rollout " + id, e);
    }
  }

  /**
   * Rollouts newest first, optionally only one app's or only those in one phase.
   *
   * @param limit at most this many, at least 1
   */
  public List<StoredRollout> list(Optional<String> app, Optional<Phase> phase, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from rollouts where true");
    List<Object> parameters = new ArrayList<>();
    app.ifPresent(
        a -> {
          sql.append(" and app = ?");
          parameters.add(a);
        });
    phase.ifPresent(
        p -> {
          sql.append(" and phase = ?");
          parameters.add(p.name());
        });
    sql.append(" order by created_at desc, id desc limit ?");
    parameters.add(limit);
    try (Connection c = dataSource.getConnection();
        PreparedStatement select = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < parameters.size(); i++) {
        select.setObject(i + 1, parameters.get(i));
      }
      List<StoredRollout> rollouts = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rollouts.add(row(rs));
        }
      }
      return rollouts;
    } catch (SQLException e) {
      throw failed("list rollouts", e);
    }
  }

  private Optional<StoredRollout> load(Connection c, UUID id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("select " + COLUMNS + " from rollouts where id = ?")) {
      select.setObject(1, id);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(row(rs));
      }
    }
  }

  private static StoredRollout row(ResultSet rs) throws SQLException {
    return new StoredRollout(
        rs.getObject(1, UUID.class),
        RolloutJson.readSpec(rs.getString(2)),
        RolloutJson.readStatus(rs.getString(3)),
        Phase.valueOf(rs.getString(4)),
        rs.getLong(5),
        Optional.ofNullable(instant(rs, 6)),
        instant(rs, 7),
        instant(rs, 8));
  }

  /** Empty when another writer got there first. */
  private Optional<StoredRollout> write(
      Connection c,
      StoredRollout current,
      RolloutStatus status,
      Optional<Instant> wakeAt,
      Instant now)
      throws SQLException {
    Phase phase = Phases.derive(current.spec(), status);
    try (PreparedStatement update =
        c.prepareStatement(
            "update rollouts set status = ?::jsonb, phase = ?, wake_at = ?,"
                + " lock_version = lock_version + 1, updated_at = ?"
                + " where id = ? and lock_version = ?")) {
      update.setString(1, RolloutJson.write(status));
      update.setString(2, phase.name());
      update.setObject(3, wakeAt.map(Jdbc::timestamp).orElse(null));
      update.setObject(4, timestamp(now));
      update.setObject(5, current.id());
      update.setLong(6, current.lockVersion());
      if (update.executeUpdate() == 0) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new StoredRollout(
            current.id(),
            current.spec(),
            status,
            phase,
            current.lockVersion() + 1,
            wakeAt,
            current.createdAt(),
            now));
  }

  private static void insertTransition(Connection c, UUID id, Transition t) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into rollout_transitions (rollout_id, from_phase, to_phase, reason, message,"
                + " at, step, weight) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setObject(1, id);
      insert.setString(2, t.from().name());
      insert.setString(3, t.to().name());
      insert.setString(4, t.reason());
      insert.setString(5, t.message());
      insert.setObject(6, timestamp(t.at()));
      insert.setObject(7, t.step(), java.sql.Types.INTEGER);
      insert.setObject(8, t.weight(), java.sql.Types.INTEGER);
      insert.executeUpdate();
    }
  }

  private <T> T inTransaction(UUID id, Attempt<T> attempt) {
    for (int i = 0; i < MAX_ATTEMPTS; i++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          Optional<T> result = attempt.run(c);
          if (result.isPresent()) {
            c.commit();
            return result.get();
          }
          c.rollback();
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw failed("write rollout " + id, e);
      }
    }
    throw new ConcurrentUpdateException(id, MAX_ATTEMPTS);
  }

  /** PostgreSQL keeps microseconds; an instant read back may differ below that. */
  private static boolean sameInstant(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() && b.isEmpty();
    }
    return Duration.between(a.get(), b.get()).abs().toNanos() < 1_000;
  }

  /** Writes what follows from a reconcile, in its transaction. */
  @FunctionalInterface
  public interface AlsoWrite {
    void write(Connection c, StoredRollout before, Reconciled after) throws SQLException;
  }

  /** One try; empty when it lost to a concurrent writer and must start over. */
  @FunctionalInterface
  private interface Attempt<T> {
    Optional<T> run(Connection c) throws SQLException;
  }
}

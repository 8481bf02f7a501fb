package dev.gantry.rollout.persistence;

import static dev.gantry.rollout.persistence.Jdbc.failed;
import static dev.gantry.rollout.persistence.Jdbc.instant;
import static dev.gantry.rollout.persistence.Jdbc.timestamp;

import dev.gantry.rollout.domain.AppSpec;
import dev.gantry.rollout.domain.Release;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Registered apps and the releases that serve them. */
@ApplicationScoped
public class AppStore {
  private static final String COLUMNS =
      "spec, current_release, previous_release, queued_release, lock_version, created_at,"
          + " updated_at";

  private final DataSource dataSource;

  @Inject
  public AppStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * @throws AppExistsException when the name is taken or the repository and branch already feed
   *     another app
   * @throws ListenPortTakenException when another app receives its traffic on the same port
   */
  public AppRecord register(AppSpec spec, Instant now) {
    return Jdbc.inTransaction(
        dataSource,
        "register app " + spec.name(),
        c -> {
          requireFreeListenPort(c, spec);
          try (PreparedStatement insert =
              c.prepareStatement(
                  "insert into apps (name, repo, branch, spec, lock_version, created_at,"
                      + " updated_at) values (?, ?, ?, ?::jsonb, 0, ?, ?)")) {
            insert.setString(1, spec.name());
            insert.setString(2, spec.repo());
            insert.setString(3, spec.branch());
            insert.setString(4, RolloutJson.write(spec));
            insert.setObject(5, timestamp(now));
            insert.setObject(6, timestamp(now));
            insert.executeUpdate();
          } catch (SQLException e) {
            throw conflictOr(spec, e, "register app " + spec.name());
          }
          return new AppRecord(spec, null, null, null, 0, now, now);
        });
  }

  /**
   * Two apps cannot take their traffic on one port (the local proxy's or nginx's). Registrations
   * and updates take one transaction-scoped lock, so two of them cannot both find a port free.
   */
  private static void requireFreeListenPort(Connection c, AppSpec spec) throws SQLException {
    if (spec.listenPort() == 0) {
      return; // kubernetes: the cluster routes, nothing listens here
    }
    try (PreparedStatement lock =
        c.prepareStatement("select pg_advisory_xact_lock(hashtext('rollout.apps.listen-port'))")) {
      lock.execute();
    }
    try (PreparedStatement holder =
        c.prepareStatement(
            "select name from apps where (spec ->> 'listenPort')::int = ? and name <> ?"
                + " order by name limit 1")) {
      holder.setInt(1, spec.listenPort());
      holder.setString(2, spec.name());
      try (ResultSet rs = holder.executeQuery()) {
        if (rs.next()) {
          throw new ListenPortTakenException(spec.listenPort(), rs.getString(1));
        }
      }
    }
  }

  /** Replaces an app's policy; what serves it stays. */
  public AppRecord update(AppSpec spec, Instant now) {
    return Jdbc.inTransaction(
        dataSource,
        "update app " + spec.name(),
        c -> {
          AppRecord current =
              find(c, spec.name(), true).orElseThrow(() -> new AppNotFoundException(spec.name()));
          requireFreeListenPort(c, spec);
          try (PreparedStatement update =
              c.prepareStatement(
                  "update apps set repo = ?, branch = ?, spec = ?::jsonb,"
                      + " lock_version = lock_version + 1, updated_at = ? where name = ?")) {
            update.setString(1, spec.repo());
            update.setString(2, spec.branch());
            update.setString(3, RolloutJson.write(spec));
            update.setObject(4, timestamp(now));
            update.setString(5, spec.name());
            update.executeUpdate();
          } catch (SQLException e) {
            throw conflictOr(spec, e, "update app " + spec.name());
          }
          return new AppRecord(
              spec,
              current.current(),
              current.previous(),
              current.queued(),
              current.lockVersion() + 1,
              current.createdAt(),
              now);
        });
  }

  public Optional<AppRecord> find(String name) {
    try (Connection c = dataSource.getConnection()) {
      return find(c, name, false);
    } catch (SQLException e) {
      throw failed("load app " + name, e);
    }
  }

  /** With {@code forUpdate}, holds the row until the transaction ends. */
  public Optional<AppRecord> find(Connection c, String name, boolean forUpdate)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "select " + COLUMNS + " from apps where name = ?" + (forUpdate ? " for update" : ""))) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  public Optional<AppRecord> findByRepoAndBranch(String repo, String branch) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement select =
            c.prepareStatement("select " + COLUMNS + " from apps where repo = ? and branch = ?")) {
      select.setString(1, repo);
      select.setString(2, branch);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed("find the app of " + repo + "@" + branch, e);
    }
  }

  public List<AppRecord> list() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement select =
            c.prepareStatement("select " + COLUMNS + " from apps order by name");
        ResultSet rs = select.executeQuery()) {
      List<AppRecord> apps = new ArrayList<>();
      while (rs.next()) {
        apps.add(row(rs));
      }
      return apps;
    } catch (SQLException e) {
      throw failed("list apps", e);
    }
  }

  /** Stores what serves the app, inside the caller's transaction. */
  public void setReleases(
      Connection c, String name, Release current, Release previous, Release queued, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "update apps set current_release = ?::jsonb, previous_release = ?::jsonb,"
                + " queued_release = ?::jsonb, lock_version = lock_version + 1, updated_at = ?"
                + " where name = ?")) {
      update.setString(1, RolloutJson.write(current));
      update.setString(2, RolloutJson.write(previous));
      update.setString(3, RolloutJson.write(queued));
      update.setObject(4, timestamp(now));
      update.setString(5, name);
      if (update.executeUpdate() != 1) {
        throw new AppNotFoundException(name);
      }
    }
  }

  private static AppRecord row(ResultSet rs) throws SQLException {
    return new AppRecord(
        RolloutJson.readApp(rs.getString(1)),
        RolloutJson.readRelease(rs.getString(2)),
        RolloutJson.readRelease(rs.getString(3)),
        RolloutJson.readRelease(rs.getString(4)),
        rs.getLong(5),
        instant(rs, 6),
        instant(rs, 7));
  }

  private static RuntimeException conflictOr(AppSpec spec, SQLException e, String what) {
    if (Jdbc.isUniqueViolation(e, "apps_pkey")) {
      return new AppExistsException("app " + spec.name() + " exists", e);
    }
    if (Jdbc.isUniqueViolation(e, "apps_repo_branch")) {
      return new AppExistsException(
          spec.repo() + "@" + spec.branch() + " already feeds another app", e);
    }
    return failed(what, e);
  }
}

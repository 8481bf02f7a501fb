package dev.gantry.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky embedded binaries) on loopback, with a database {@code gantry}
 * owned by the login role {@code gantry} (password {@code gantry}). The data directory is never
 * wiped: starting again on the same directory finds the same data.
 */
public final class Postgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);
  private static final String DATABASE = "gantry";
  private static final String USER = "gantry";
  private static final String PASSWORD = "gantry";

  private final EmbeddedPostgres server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Postgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /**
   * Starts PostgreSQL on {@code dataDir}, running initdb only if the directory holds no cluster.
   *
   * @param port the port on 127.0.0.1; 0 picks a free one
   */
  public static Postgres start(Path dataDir, int port) {
    return start(dataDir, port, Map.of());
  }

  static Postgres start(Path dataDir, int port, Map<String, String> serverConfig) {
    long started = System.nanoTime();
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir.toAbsolutePath())
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .setPort(Ports.requireFree(port, "postgres"))
            .setServerConfig("listen_addresses", Ports.HOST);
    serverConfig.forEach(builder::setServerConfig);
    EmbeddedPostgres server;
    try {
      Files.createDirectories(dataDir);
      server = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("postgres did not start on " + dataDir, e);
    }
    Postgres postgres = new Postgres(server);
    try {
      postgres.ensureDatabase();
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
    LOG.info(
        "postgres on port {} started in {} ms (data in {})",
        server.getPort(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        dataDir);
    return postgres;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + Ports.HOST + ":" + server.getPort() + "/" + DATABASE;
  }

  public String username() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException("postgres did not stop", e);
      }
    }
  }

  /** {@code --port 5433 --dir <path>}: runs until SIGTERM, for {@code ./gantry up}. */
  public static void main(String[] args) {
    // zonky turns fsync off for speed; a long-lived local database wants its commits durable
    Map<String, String> durable = Map.of("fsync", "on", "synchronous_commit", "on");
    Standalone.run(
        "postgres", args, 5433, a -> start(a.dir(), a.port(), durable), Postgres::jdbcUrl);
  }

  private void ensureDatabase() {
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER)) {
        s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
      }
      if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
        s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + DATABASE, e);
    }
  }

  private static boolean exists(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      q.setString(1, name);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    }
  }
}

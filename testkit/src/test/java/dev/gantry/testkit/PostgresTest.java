package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresTest {

  @TempDir Path dir;

  @Test
  void shouldKeepDataWhenRestartedOnSameDirectory() throws SQLException {
    Path data = dir.resolve("pg");
    try (Postgres first = Postgres.start(data, 0)) {
      assertThat(first.jdbcUrl())
          .isEqualTo("jdbc:postgresql://127.0.0.1:" + first.port() + "/gantry");
      try (Connection c = connect(first);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE survivor (name text)");
        s.execute("INSERT INTO survivor VALUES ('still here')");
      }
    }

    try (Postgres second = Postgres.start(data, 0);
        Connection c = connect(second);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM survivor")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("still here");
    }
  }

  @Test
  void shouldLetGantryRoleOwnGantryDatabaseWhenStarted() throws SQLException {
    Postgres pg = GantryInfra.postgres();

    try (Connection c = connect(pg);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_user, current_database(),"
                    + " (SELECT pg_get_userbyid(datdba) FROM pg_database"
                    + "  WHERE datname = current_database())")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("gantry");
      assertThat(rs.getString(2)).isEqualTo("gantry");
      assertThat(rs.getString(3)).isEqualTo("gantry");
      // the services' Flyway scripts each create their own schema
      s.execute("CREATE SCHEMA IF NOT EXISTS testkit_probe");
    }
  }

  private static Connection connect(Postgres pg) throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
  }
}

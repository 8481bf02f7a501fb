package dev.gantry.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gantry.testkit.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Against a real PostgreSQL: what a transaction leaves behind when it returns and when it throws.
 */
class TransactionsTest {
  @TempDir static Path dir;
  private static Postgres postgres;
  private static PGSimpleDataSource db;
  private final String table = "t_" + UUID.randomUUID().toString().replace("-", "");

  @BeforeAll
  static void startDatabase() {
    postgres = Postgres.start(dir.resolve("pg"), 0);
    db = new PGSimpleDataSource();
    db.setUrl(postgres.jdbcUrl());
    db.setUser(postgres.username());
    db.setPassword(postgres.password());
  }

  @AfterAll
  static void stopDatabase() {
    postgres.close();
  }

  @Test
  void shouldCommitWhatTheWorkWroteWhenItReturns() throws SQLException {
    create();
    int written = Transactions.run(db, c -> insert(c, 1) + insert(c, 2));
    assertThat(written).isEqualTo(2);
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void shouldRollBackEverythingAndRethrowWhenTheWorkFails() throws SQLException {
    create();
    IllegalStateException failure = new IllegalStateException("stop half way");

    Throwable thrown =
        catchThrowable(
            () ->
                Transactions.run(
                    db,
                    c -> {
                      insert(c, 1);
                      throw failure;
                    }));
    Throwable sqlThrown =
        catchThrowable(
            () ->
                Transactions.run(
                    db,
                    c -> {
                      insert(c, 2);
                      return insert(c, 2); // primary key taken
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(sqlThrown).isInstanceOf(SQLException.class);
    assertThat(count()).isZero();
  }

  private void create() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
    }
  }

  private int insert(Connection c, int id) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate("INSERT INTO " + table + " VALUES (" + id + ")");
    }
  }

  private int count() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}

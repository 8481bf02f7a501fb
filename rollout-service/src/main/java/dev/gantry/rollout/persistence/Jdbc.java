package dev.gantry.rollout.persistence;

import dev.gantry.edge.Transactions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/** The few JDBC chores every store here repeats; the transaction itself is the edge's. */
public final class Jdbc {
  static final String UNIQUE_VIOLATION = "23505";

  private Jdbc() {}

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws; a
   * database failure comes back as an exception that says what could not be done.
   */
  public static <T> T inTransaction(DataSource dataSource, String what, Transactions.Work<T> work) {
    try {
      return Transactions.run(dataSource, work);
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static boolean isUniqueViolation(SQLException e, String constraint) {
    return UNIQUE_VIOLATION.equals(e.getSQLState())
        && String.valueOf(e.getMessage()).contains(constraint);
  }

  static IllegalStateException failed(String what, SQLException e) {
    return new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
  }
}

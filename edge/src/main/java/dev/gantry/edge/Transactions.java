package dev.gantry.edge;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One JDBC transaction per call, for the services that write with plain JDBC. How a failure is
 * reported stays with each service: this throws the {@link SQLException} as it came.
 */
public final class Transactions {
  private Transactions() {}

  /** Work done on one connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} on a connection of its own: committed when it returns, rolled back when it
   * throws, and handed back to the pool in auto-commit mode either way.
   */
  public static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  // a failed rollback must not hide the failure that caused it
  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}

package dev.gantry.buildapi.persistence;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that could not be reached (a refused or cut connection, a server shutting down
 * or starting up) from a statement that was wrong: the first changed nothing and is worth doing
 * again once PostgreSQL is back, the second is not.
 */
public final class DatabaseUnreachable {
  private DatabaseUnreachable() {}

  public static boolean causeOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof java.net.ConnectException
          || (t instanceof SQLException sql && unreachable(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /** Class 08 (connection exception) and 57P (operator intervention: shutdown, crash, start-up). */
  private static boolean unreachable(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
  }

  /** The innermost cause in one line, for a log: driver messages name host and port, no secret. */
  public static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}

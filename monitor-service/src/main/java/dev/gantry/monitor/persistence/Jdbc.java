package dev.gantry.monitor.persistence;

import dev.gantry.edge.Transactions;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One transaction per call (the edge's), and the conversions every store here needs. */
@ApplicationScoped
public class Jdbc {

  @Inject AgroalDataSource db;

  /** A database failure; the caller retries or gives up, nothing is half-written. */
  public static final class StoreException extends RuntimeException {
    StoreException(SQLException e) {
      super(e.getMessage(), e);
    }
  }

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Every row of the statement's result, mapped. */
  public static <T> List<T> list(PreparedStatement ps, Row<T> row) throws SQLException {
    List<T> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row.map(rs));
      }
    }
    return out;
  }

  public <T> T tx(Transactions.Work<T> work) {
    try {
      return Transactions.run(db, work);
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  public static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  public static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  public static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  public static Double getDouble(ResultSet rs, int i) throws SQLException {
    double v = rs.getDouble(i);
    return rs.wasNull() ? null : v;
  }
}

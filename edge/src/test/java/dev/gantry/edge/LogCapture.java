package dev.gantry.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Every line logged under {@code dev.gantry.edge} while it is open, with its message formatted. */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger("dev.gantry.edge");
  private final List<LogRecord> records = new ArrayList<>();

  LogCapture() {
    logger.addHandler(this);
  }

  synchronized List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** Each line as a reader of the log sees it: the message, and the exception's text if any. */
  synchronized String text() {
    StringBuilder out = new StringBuilder();
    for (LogRecord r : records) {
      out.append(message(r)).append('\n');
      if (r.getThrown() != null) {
        out.append(r.getThrown()).append('\n');
      }
    }
    return out.toString();
  }

  static String message(LogRecord r) {
    return new SimpleFormatter().formatMessage(r);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}

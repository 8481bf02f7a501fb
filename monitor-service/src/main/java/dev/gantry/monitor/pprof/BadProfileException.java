package dev.gantry.monitor.pprof;

/** A profile that cannot be read: truncated, oversized, not gzip or not a pprof protobuf. */
public class BadProfileException extends Exception {
  public BadProfileException(String message) {
    super(message);
  }

  public BadProfileException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.gantry.events;

/**
 * A record that is not a readable CloudEvent: a missing attribute or a payload that does not parse.
 */
public class MalformedEventException extends RuntimeException {
  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.gantry.events;

/** A record whose {@code ce_type} this version of the contracts does not know. */
public class UnknownEventTypeException extends RuntimeException {
  private final String type;

  public UnknownEventTypeException(String type) {
    super("unknown event type: " + type);
    this.type = type;
  }

  public String type() {
    return type;
  }
}

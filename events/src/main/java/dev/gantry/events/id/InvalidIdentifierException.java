package dev.gantry.events.id;

/**
 * A value that is not the identifier it claims to be. The message names the kind, the value (with
 * control characters escaped, cut when long) and why; each service turns it into its own error at
 * the place the value arrived (a 400, a problem of a policy, a failed build request).
 */
public class InvalidIdentifierException extends IllegalArgumentException {
  private final String kind;
  private final String reason;

  InvalidIdentifierException(String kind, String value, String reason) {
    super(kind + " " + Identifiers.quote(value) + " is not valid: " + reason);
    this.kind = kind;
    this.reason = reason;
  }

  /** What the value was meant to be, e.g. {@code repository key}. */
  public String kind() {
    return kind;
  }

  /** Why it is not, without the value, e.g. {@code 33 path parts, at most 32}. */
  public String reason() {
    return reason;
  }
}

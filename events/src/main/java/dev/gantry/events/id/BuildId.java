package dev.gantry.events.id;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A build's id: the UUID build-api gave it, in its canonical text form. It is the key of {@code
 * build.events}, a row id, and the name of the build's log ({@code logs/builds/<id>.log}), which
 * build-api finds again by the UUID: so the value is always lower case, whatever case it came in.
 */
public record BuildId(String value) {
  static final String KIND = "build id";

  public static final String RULE = "a UUID such as 0193a5f0-7c1e-7b3a-9d2e-4f6a8b0c1d2e";

  /** The canonical form only: {@link UUID#fromString} also takes {@code 1-1-1-1-1}. */
  private static final Pattern CANONICAL =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public BuildId {
    if (value == null || !CANONICAL.matcher(value).matches()) {
      throw new InvalidIdentifierException(KIND, value, value == null ? "missing" : "not " + RULE);
    }
    value = value.toLowerCase(Locale.ROOT);
  }

  public static BuildId parse(String value) {
    return new BuildId(value);
  }

  public static BuildId of(UUID uuid) {
    return new BuildId(uuid.toString());
  }

  public static boolean isValid(String value) {
    return value != null && CANONICAL.matcher(value).matches();
  }

  public UUID uuid() {
    return UUID.fromString(value);
  }

  @Override
  public String toString() {
    return value;
  }
}

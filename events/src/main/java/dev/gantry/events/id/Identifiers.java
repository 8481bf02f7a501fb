package dev.gantry.events.id;

import java.util.function.IntPredicate;

/** What the identifier types share: how a refused value is shown, and the first character off. */
final class Identifiers {
  /** Enough to recognise a deep repository key, short enough for a log line. */
  private static final int SHOWN = 200;

  private Identifiers() {}

  /** The value in quotes, safe to echo into a message or a log: all but printable ASCII escaped. */
  static String quote(String value) {
    if (value == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder("'");
    value
        .codePoints()
        .limit(SHOWN)
        .forEach(c -> out.append(printable(c) ? Character.toString(c) : "\\u%04x".formatted(c)));
    return out.append(value.codePointCount(0, value.length()) > SHOWN ? "…'" : "'").toString();
  }

  /**
   * The reason for the first character that {@code allowed} refuses, or null when there is none.
   */
  static String badCharacter(String value, IntPredicate allowed) {
    return value
        .codePoints()
        .filter(allowed.negate())
        .mapToObj(
            c ->
                printable(c)
                    ? "the character '" + Character.toString(c) + "'"
                    : "the character U+%04X".formatted(c))
        .findFirst()
        .orElse(null);
  }

  /** Why a value is missing, empty or longer than {@code max}, or null when it is none of these. */
  static String lengthProblem(String value, int max) {
    if (value == null) {
      return "missing";
    }
    if (value.isEmpty()) {
      return "empty";
    }
    return value.length() > max ? value.length() + " characters long, at most " + max : null;
  }

  static boolean asciiLetterOrDigit(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  /** Printable ASCII only: no control characters, and no bidi or look-alike code points either. */
  private static boolean printable(int c) {
    return c >= 0x20 && c < 0x7f;
  }
}

package dev.gantry.events.id;

/**
 * The version of a build's artifacts: a tag ({@code v1.4.0}, {@code v2.0.0-rc.1+build.5}) or a Go
 * pseudo-version ({@code v0.0.0-20261121101530-9fceb02d0ae5}). It is one path element under {@code
 * artifacts/<app>/}, the value of a linker {@code -X} flag, a file name of the local router and
 * (cut to 63) a Kubernetes label, so it holds only characters that are safe in all of them.
 */
public record Version(String value) {
  static final String KIND = "version";

  public static final int MAX_LENGTH = 128;

  public static final String RULE =
      "one path element of letters, digits, '.', '_', '+' and '-', starting with a letter or"
          + " digit, at most "
          + MAX_LENGTH
          + " characters";

  public Version {
    String reason = problem(value);
    if (reason != null) {
      throw new InvalidIdentifierException(KIND, value, reason);
    }
  }

  public static Version parse(String value) {
    return new Version(value);
  }

  public static boolean isValid(String value) {
    return problem(value) == null;
  }

  @Override
  public String toString() {
    return value;
  }

  private static String problem(String value) {
    String length = Identifiers.lengthProblem(value, MAX_LENGTH);
    if (length != null) {
      return length;
    }
    String bad =
        Identifiers.badCharacter(
            value,
            c -> Identifiers.asciiLetterOrDigit(c) || c == '.' || c == '_' || c == '+' || c == '-');
    if (bad != null) {
      return bad + " (only letters, digits, '.', '_', '+' and '-')";
    }
    if (!Identifiers.asciiLetterOrDigit(value.charAt(0))) {
      return "starts with '" + value.charAt(0) + "', not a letter or digit";
    }
    return null;
  }
}

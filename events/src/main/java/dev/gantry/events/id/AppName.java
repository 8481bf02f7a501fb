package dev.gantry.events.id;

/**
 * The name an app is known by in every service: build-api's registration, the folder of its
 * artifacts ({@code <shared root>/artifacts/<app>/}), rollout-service's app, its processes, files
 * and Kubernetes objects, and the key of its rollout and analysis events. One DNS label, so that it
 * is a safe file name and a valid object name everywhere without quoting. A router may ask for less
 * still where its platform does (Kubernetes Service names must start with a letter).
 */
public record AppName(String value) {
  static final String KIND = "app name";

  public static final int MAX_LENGTH = 63;

  public static final String RULE =
      "a DNS label: lower-case letters, digits and '-', starting and ending with a letter or"
          + " digit, at most "
          + MAX_LENGTH
          + " characters";

  public AppName {
    String reason = problem(value);
    if (reason != null) {
      throw new InvalidIdentifierException(KIND, value, reason);
    }
  }

  public static AppName parse(String value) {
    return new AppName(value);
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
            value, c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-');
    if (bad != null) {
      return bad + " (only lower-case letters, digits and '-')";
    }
    if (value.startsWith("-") || value.endsWith("-")) {
      return "starts or ends with '-'";
    }
    return null;
  }
}

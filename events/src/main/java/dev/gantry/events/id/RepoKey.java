package dev.gantry.events.id;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A repository's identity, the same for every URL form of it: {@code host[:port]/owner/name} (what
 * build-api derives from an https or ssh clone URL: lower case, without {@code .git}) or {@code
 * local/<path>} (a {@code file://} URL in local mode, see {@link #ofLocalPath}). It names the
 * repository in build events, places its bare mirror under {@code <shared root>/git/}, and ties an
 * app in rollout-service to the builds that feed it, so each of those services holds it to this one
 * rule: build-api registers no key that a worker or rollout-service would refuse.
 *
 * <p>Every part is a safe file name: letters, digits, {@code . _ ~ -} (GitHub names start with a
 * dot, sourcehut owners with a tilde), never {@code -} first, no {@code ..}, not ending in {@code
 * .git} (the mirror adds it: {@code a/b.git/c} would nest one mirror in another). Only the first
 * part, the host, may carry {@code :<port>}.
 */
public record RepoKey(String value) {
  static final String KIND = "repository key";

  public static final int MIN_PARTS = 2;

  /** GitLab nests groups 20 deep, and a local path in a deep checkout is deeper still. */
  public static final int MAX_PARTS = 32;

  /** GitHub's limit for a repository name; with the mirror's {@code .git} still a file name. */
  public static final int MAX_PART_LENGTH = 100;

  /**
   * A key is a unique database column and a path below the shared root: this stays well inside
   * PostgreSQL's b-tree entry limit and PATH_MAX.
   */
  public static final int MAX_LENGTH = 1024;

  /** The first part of every key of a {@code file://} repository. */
  public static final String LOCAL = "local";

  public static final String RULE =
      "host/owner/name or local/<path>: "
          + MIN_PARTS
          + " to "
          + MAX_PARTS
          + " path parts of letters, digits, '.', '_', '~' and '-' (a host may add :<port>),"
          + " none starting with '-' or ending in '.git', no '..', at most "
          + MAX_LENGTH
          + " characters";

  private static final Pattern HOST_PORT = Pattern.compile("[^:]+:[1-9][0-9]{0,4}");

  public RepoKey {
    String reason = problem(value);
    if (reason != null) {
      throw new InvalidIdentifierException(KIND, value, reason);
    }
  }

  public static RepoKey parse(String value) {
    return new RepoKey(value);
  }

  public static boolean isValid(String value) {
    return problem(value) == null;
  }

  /**
   * The key of the repository at {@code path} on this machine: {@code local} and the path, without
   * a trailing {@code /} or {@code .git}. build-api derives a {@code file://} URL's key with it,
   * and whoever needs the key of a local repository (a test, the demo) gets the same one.
   *
   * @param path an absolute path, e.g. {@code /srv/git/shop.git} → {@code local/srv/git/shop}
   */
  public static RepoKey ofLocalPath(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new InvalidIdentifierException("local repository path", path, "not an absolute path");
    }
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.toLowerCase(Locale.ROOT).endsWith(".git")) {
      p = p.substring(0, p.length() - ".git".length());
    }
    return new RepoKey(LOCAL + p);
  }

  /** The parts from the host to the name, e.g. {@code [github.com, acme, shop]}. */
  public List<String> parts() {
    return List.of(value.split("/", -1));
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
    String bad = Identifiers.badCharacter(value, c -> partCharacter(c) || c == '/' || c == ':');
    if (bad != null) {
      return bad;
    }
    String[] parts = value.split("/", -1);
    if (parts.length < MIN_PARTS) {
      return parts.length + " path part, at least " + MIN_PARTS + " (host/name)";
    }
    if (parts.length > MAX_PARTS) {
      return parts.length + " path parts, at most " + MAX_PARTS;
    }
    if (value.contains("..")) {
      return "it contains '..'";
    }
    for (int i = 0; i < parts.length; i++) {
      String name = parts[i];
      if (name.indexOf(':') >= 0) {
        if (i > 0
            || !HOST_PORT.matcher(name).matches()
            || Integer.parseInt(name.substring(name.indexOf(':') + 1)) > 65535) {
          return "':' other than in host:<port> at the start";
        }
        name = name.substring(0, name.indexOf(':'));
      }
      String reason = partProblem(name);
      if (reason != null) {
        return "path part " + (i + 1) + " " + reason;
      }
    }
    return null;
  }

  private static String partProblem(String part) {
    if (part.isEmpty()) {
      return "is empty";
    }
    if (part.length() > MAX_PART_LENGTH) {
      return "is " + part.length() + " characters long, at most " + MAX_PART_LENGTH;
    }
    if (part.startsWith("-")) {
      return "starts with '-'";
    }
    if (part.equals(".")) {
      return "is '.'";
    }
    if (part.toLowerCase(Locale.ROOT).endsWith(".git")) {
      return "ends in '.git' (a key names the repository without it)";
    }
    return null;
  }

  private static boolean partCharacter(int c) {
    return Identifiers.asciiLetterOrDigit(c) || c == '.' || c == '_' || c == '~' || c == '-';
  }
}

package dev.gantry.buildapi.domain;

import dev.gantry.edge.ApiException;
import dev.gantry.events.build.RefType;
import java.util.regex.Pattern;

/**
 * A validated git ref: {@code refs/heads/<branch>} or {@code refs/tags/<tag>}. The name is held to
 * git's check-ref-format rules (plus: no leading '-', so a ref can never be read as an option)
 * before it reaches a database row, an event or a worker's command line.
 */
public record GitRef(String full, RefType type, String name) {

  private static final String HEADS = "refs/heads/";
  private static final String TAGS = "refs/tags/";
  private static final int MAX_LENGTH = 255;
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  /** Parses a full ref as forges send it. */
  public static GitRef parse(String full) {
    if (full == null || full.isEmpty()) {
      throw new ApiException.BadRequest("ref is missing");
    }
    if (full.startsWith(HEADS)) {
      return new GitRef(full, RefType.BRANCH, checkName(full.substring(HEADS.length()), full));
    }
    if (full.startsWith(TAGS)) {
      return new GitRef(full, RefType.TAG, checkName(full.substring(TAGS.length()), full));
    }
    throw new ApiException.BadRequest(
        "ref '" + printable(full) + "' is neither a branch (refs/heads/…) nor a tag (refs/tags/…)");
  }

  /** A short name from a person: {@code main}, {@code refs/heads/main} or {@code refs/tags/v1}. */
  public static GitRef parseShort(String ref, RefType assumed) {
    if (ref != null && ref.startsWith("refs/")) {
      return parse(ref);
    }
    return parse((assumed == RefType.TAG ? TAGS : HEADS) + (ref == null ? "" : ref));
  }

  public static String checkCommit(String sha) {
    if (sha == null || !COMMIT.matcher(sha).matches()) {
      throw new ApiException.BadRequest(
          "commit '"
              + printable(sha)
              + "' is not a full lower-case hex object id (40 or 64 characters)");
    }
    return sha;
  }

  /** True when {@code sha} is git's all-zero id, which forges send for a deleted ref. */
  public static boolean isZero(String sha) {
    return sha != null && !sha.isEmpty() && sha.chars().allMatch(c -> c == '0');
  }

  private static String checkName(String name, String full) {
    String problem = problem(name, full);
    if (problem != null) {
      throw new ApiException.BadRequest(
          "ref '" + printable(full) + "' is not a valid git ref name: " + problem);
    }
    return name;
  }

  private static String problem(String name, String full) {
    if (name.isEmpty()) {
      return "the name is empty";
    }
    if (full.length() > MAX_LENGTH) {
      return "longer than " + MAX_LENGTH + " characters";
    }
    if (name.startsWith("-")) {
      return "it starts with '-'";
    }
    if (name.equals("@")) {
      return "it is '@'";
    }
    if (name.contains("..")) {
      return "it contains '..'";
    }
    if (name.contains("@{")) {
      return "it contains '@{'";
    }
    if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
      return "it has an empty path component";
    }
    if (name.endsWith(".")) {
      return "it ends with '.'";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
        return "it contains a control character";
      }
      if (" ~^:?*[\\".indexOf(c) >= 0) {
        return "it contains '" + c + "'";
      }
    }
    for (String component : name.split("/")) {
      if (component.startsWith(".")) {
        return "a component starts with '.'";
      }
      if (component.endsWith(".lock")) {
        return "a component ends with '.lock'";
      }
    }
    return null;
  }

  /** Echoes user input in an error message without letting control characters into it. */
  static String printable(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    s.codePoints()
        .limit(200)
        .forEach(
            cp -> {
              if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
                out.append(String.format("\\u%04x", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }
}

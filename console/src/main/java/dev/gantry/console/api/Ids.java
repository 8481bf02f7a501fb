package dev.gantry.console.api;

import dev.gantry.edge.ApiException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Checks an id or name from a URL before it becomes part of an upstream path: anything that is not
 * a plain token (a UUID, an app name) names nothing, so {@code ..} or an encoded slash cannot reach
 * another upstream endpoint.
 */
final class Ids {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private Ids() {}

  static String segment(String id, String what) {
    if (id == null || !PLAIN.matcher(id).matches() || id.contains("..")) {
      throw new ApiException.NotFound("no " + what + " " + (id == null ? "" : abbreviate(id)));
    }
    return id;
  }

  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    String plain = s.replaceAll("[^A-Za-z0-9_.-]", "?");
    return plain.length() > 64 ? plain.substring(0, 64) + "…" : plain;
  }
}

package dev.gantry.buildworker.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The version of a build's artifacts.
 *
 * <ul>
 *   <li>a tag build: the tag, e.g. {@code v1.4.0};
 *   <li>a branch build: a pseudo-version in Go's own form, {@code v0.0.0-<UTC commit time as
 *       yyyyMMddHHmmss>-<first 12 hex of the commit>}, e.g. {@code
 *       v0.0.0-20261121101530-9fceb02d0ae5}. Versions of one branch sort by commit time as strings;
 *       the sha makes them unique.
 * </ul>
 *
 * A version is one path element under {@code artifacts/<app>/} and the value of an {@code -X} flag,
 * so it is limited to letters, digits and {@code . _ + -}.
 */
public final class Versions {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+\\-]{0,127}");

  private Versions() {}

  public static String pseudo(Instant commitTime, String commit) {
    return "v0.0.0-" + STAMP.format(commitTime) + "-" + commit.substring(0, 12);
  }

  /** The tag as a version, or an explanation why it cannot be one. */
  public static String ofTag(String tag) {
    if (tag == null || !SAFE.matcher(tag).matches()) {
      throw new IllegalArgumentException(
          "tag '"
              + tag
              + "' cannot name a version: one path element of letters, digits and . _ + -"
              + " (at most 128)");
    }
    return tag;
  }
}

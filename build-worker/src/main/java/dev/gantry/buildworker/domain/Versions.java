package dev.gantry.buildworker.domain;

import dev.gantry.events.id.InvalidIdentifierException;
import dev.gantry.events.id.Version;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

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
 * Either is a {@link Version}, the rule every service holds versions to.
 */
public final class Versions {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private Versions() {}

  public static String pseudo(Instant commitTime, String commit) {
    return "v0.0.0-" + STAMP.format(commitTime) + "-" + commit.substring(0, 12);
  }

  /** The tag as a version, or an explanation why it cannot be one. */
  public static String ofTag(String tag) {
    try {
      return Version.parse(tag).value();
    } catch (InvalidIdentifierException e) {
      throw new IllegalArgumentException(
          "tag '" + tag + "' cannot name a version (" + e.reason() + "): " + Version.RULE, e);
    }
  }
}

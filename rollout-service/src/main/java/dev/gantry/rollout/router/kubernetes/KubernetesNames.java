package dev.gantry.rollout.router.kubernetes;

import dev.gantry.events.id.AppName;
import dev.gantry.events.id.Version;
import dev.gantry.rollout.router.RouterException;
import java.util.regex.Pattern;

/**
 * What may go into object names and label values. Checked before anything is written, so a bad app
 * name or version creates nothing instead of half an app.
 */
final class KubernetesNames {
  /**
   * Narrower than an {@link AppName}: an RFC 1035 label, as Service names need, with room for the
   * {@code -canary} suffix.
   */
  private static final Pattern APP = Pattern.compile("[a-z]([a-z0-9-]{0,54}[a-z0-9])?");

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  /** A path below the shared root: no absolute path, no {@code ..}, nothing a shell would read. */
  private static final Pattern ARTIFACT =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]*(/[A-Za-z0-9_][A-Za-z0-9._+-]*)*");

  private KubernetesNames() {}

  static String requireApp(String app) {
    if (app != null && (app.endsWith("-stable") || app.endsWith("-canary"))) {
      // app "a-canary" would own Service "a-canary", which is app "a"'s canary track
      throw new RouterException(
          "app name " + quote(app) + " ends like a track name (-stable, -canary): choose another");
    }
    return require(
        APP,
        app,
        "app name",
        "is not usable in Kubernetes: it must be 1 to 56 lower-case letters, digits or '-', start"
            + " with a letter and end with a letter or digit");
  }

  static boolean isDnsLabel(String value) {
    return value != null && DNS_LABEL.matcher(value).matches();
  }

  static String requireDnsLabel(String value, String what) {
    return require(DNS_LABEL, value, what, "is not a DNS label (lower-case letters, digits, '-')");
  }

  static String requireDnsSubdomain(String value, String what) {
    return require(
        DNS_SUBDOMAIN,
        value,
        what,
        "is not a DNS subdomain (lower-case letters, digits, '-', '.')");
  }

  /** Any {@link Version} can be labelled, once {@link #versionLabel} has made it fit. */
  static String requireVersion(String version) {
    if (!Version.isValid(version)) {
      throw new RouterException(
          "version " + quote(version) + " cannot be labelled: it must be " + Version.RULE);
    }
    return version;
  }

  private static String require(Pattern pattern, String value, String what, String rule) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new RouterException(what + " " + quote(value) + " " + rule);
    }
    return value;
  }

  static String requireArtifact(String artifact) {
    if (artifact == null
        || !ARTIFACT.matcher(artifact).matches()
        || ("/" + artifact + "/").contains("/../")
        || ("/" + artifact + "/").contains("/./")) {
      throw new RouterException(
          "artifact " + quote(artifact) + " is not a plain path below the shared root");
    }
    return artifact;
  }

  /**
   * A valid version as a label value: {@code +} (semver build metadata) becomes {@code _}, and what
   * is longer than 63 characters is cut, then trimmed to end with a letter or digit. The full
   * version stays in the {@code gantry.dev/version} annotation.
   */
  static String versionLabel(String version) {
    String label = requireVersion(version).replace('+', '_');
    if (label.length() > 63) {
      label = label.substring(0, 63);
    }
    int end = label.length();
    while (!Character.isLetterOrDigit(label.charAt(end - 1))) {
      end--;
    }
    return label.substring(0, end);
  }

  private static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("'");
    value
        .codePoints()
        .limit(80)
        .forEach(
            c ->
                out.append(c < 0x20 || c == 0x7f ? "\\u%04x".formatted(c) : Character.toString(c)));
    return out.append(value.length() > 80 ? "…'" : "'").toString();
  }
}

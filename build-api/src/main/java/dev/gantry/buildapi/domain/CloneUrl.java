package dev.gantry.buildapi.domain;

import dev.gantry.edge.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository URL that may be handed to git: https, ssh (URL or scp-like form), and file only in
 * local mode. Everything else — git://, http://, ext::, embedded credentials, option-like or
 * whitespace-laden strings — is refused, because workers pass this URL to git.
 *
 * @param key the repository's identity across URL forms: {@code host[:port]/owner/name}, lower
 *     case, without {@code .git}. Webhook payloads are matched to registrations by this key.
 */
public record CloneUrl(String url, String key) {

  private static final Pattern SCP_LIKE =
      Pattern.compile("([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):([A-Za-z0-9._~/-]+)");
  private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._~/-]+");
  private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.-]+");

  /**
   * The most parts ({@code host/…/name}) a repository key may have: GitLab nests 20 groups deep,
   * and a local path may be deeper still. build-worker places its mirror by the same rule.
   */
  public static final int MAX_KEY_PARTS = 32;

  public static CloneUrl parse(String raw, boolean localMode) {
    return tryParse(raw, localMode)
        .filter(u -> u.key().split("/", -1).length <= MAX_KEY_PARTS)
        .orElseThrow(
            () ->
                new ApiException.BadRequest(
                    "clone URL '"
                        + GitRef.printable(raw)
                        + "' is not accepted: use https://host/owner/repo.git or"
                        + " ssh://git@host/owner/repo.git (or git@host:owner/repo.git)"
                        + (localMode ? ", or file:///path/to/repo.git" : "")
                        + ", without credentials, at most "
                        + MAX_KEY_PARTS
                        + " path parts deep"));
  }

  /** The key of a URL found in a webhook payload, or empty when it is not one we could register. */
  public static Optional<String> keyOf(String raw) {
    return tryParse(raw, true).map(CloneUrl::key);
  }

  private static Optional<CloneUrl> tryParse(String raw, boolean localMode) {
    if (raw == null || raw.isEmpty() || raw.length() > 2048 || raw.startsWith("-")) {
      return Optional.empty();
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return Optional.empty();
      }
    }
    Matcher scp = SCP_LIKE.matcher(raw);
    if (scp.matches() && !raw.contains("://")) {
      String path = "/" + scp.group(3);
      return keyFor(scp.group(2), -1, path).map(k -> new CloneUrl(raw, k));
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return Optional.empty();
    }
    switch (scheme) {
      case "https", "ssh" -> {
        if (uri.getRawUserInfo() != null
            && (scheme.equals("https") || uri.getRawUserInfo().contains(":"))) {
          return Optional.empty();
        }
        if (uri.getHost() == null) {
          return Optional.empty();
        }
        return keyFor(uri.getHost(), uri.getPort(), uri.getRawPath())
            .map(k -> new CloneUrl(raw, k));
      }
      case "file" -> {
        if (!localMode || uri.getHost() != null || uri.getRawUserInfo() != null) {
          return Optional.empty();
        }
        String path = uri.getRawPath();
        if (path == null || !SAFE_PATH.matcher(path).matches() || path.contains("..")) {
          return Optional.empty();
        }
        return Optional.of(new CloneUrl(raw, "local" + stripGit(path)));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static Optional<String> keyFor(String host, int port, String path) {
    if (host == null || !SAFE_HOST.matcher(host).matches()) {
      return Optional.empty();
    }
    if (path == null || !SAFE_PATH.matcher(path).matches() || path.contains("..")) {
      return Optional.empty();
    }
    String trimmed = stripGit(path);
    if (trimmed.chars().filter(c -> c == '/').count() < 2) {
      return Optional.empty(); // needs at least /owner/name
    }
    String authority = host.toLowerCase(Locale.ROOT) + (port > 0 ? ":" + port : "");
    return Optional.of(authority + trimmed.toLowerCase(Locale.ROOT));
  }

  private static String stripGit(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.endsWith(".git") ? p.substring(0, p.length() - 4) : p;
  }
}

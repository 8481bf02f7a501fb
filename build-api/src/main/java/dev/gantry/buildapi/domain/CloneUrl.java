package dev.gantry.buildapi.domain;

import dev.gantry.edge.ApiException;
import dev.gantry.events.id.InvalidIdentifierException;
import dev.gantry.events.id.RepoKey;
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
 * <p>Deriving the key is this class's job; what a key may be is {@link RepoKey}'s, which every
 * service holds keys to: a URL whose key a worker or rollout-service would refuse is refused here.
 *
 * @param key the repository's identity across URL forms: {@code host[:port]/owner/name}, lower
 *     case, without {@code .git}; {@code local/<path>} for a file URL. Webhook payloads are matched
 *     to registrations by this key.
 */
public record CloneUrl(String url, String key) {

  private static final Pattern SCP_LIKE =
      Pattern.compile("([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):([A-Za-z0-9._~/-]+)");
  private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._~/-]+");
  private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.-]+");

  public static CloneUrl parse(String raw, boolean localMode) {
    Optional<CloneUrl> url;
    try {
      url = tryParse(raw, localMode);
      url.ifPresent(u -> RepoKey.parse(u.key()));
    } catch (InvalidIdentifierException e) {
      throw refused(raw, localMode, " (its repository key: " + e.reason() + ")");
    }
    return url.orElseThrow(() -> refused(raw, localMode, ""));
  }

  /** The key of a URL found in a webhook payload, or empty when it is not one we could register. */
  public static Optional<String> keyOf(String raw) {
    try {
      return tryParse(raw, true).map(CloneUrl::key).filter(RepoKey::isValid);
    } catch (InvalidIdentifierException e) {
      return Optional.empty();
    }
  }

  private static ApiException.BadRequest refused(String raw, boolean localMode, String why) {
    return new ApiException.BadRequest(
        "clone URL '"
            + GitRef.printable(raw)
            + "' is not accepted"
            + why
            + ": use https://host/owner/repo.git or"
            + " ssh://git@host/owner/repo.git (or git@host:owner/repo.git)"
            + (localMode ? ", or file:///path/to/repo.git" : "")
            + ", without credentials, at most "
            + RepoKey.MAX_PARTS
            + " path parts deep");
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
        return Optional.of(new CloneUrl(raw, RepoKey.ofLocalPath(path).value()));
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
    return p.toLowerCase(Locale.ROOT).endsWith(".git") ? p.substring(0, p.length() - 4) : p;
  }
}

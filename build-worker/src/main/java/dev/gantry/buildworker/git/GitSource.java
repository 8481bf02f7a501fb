package dev.gantry.buildworker.git;

import dev.gantry.events.id.RepoKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks what a BuildRequested says about its source again, whoever sent it: the repository key,
 * the clone URL and the commit. A worker never trusts a request to be well-formed.
 */
public final class GitSource {
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SCP_LIKE =
      Pattern.compile(
          "[A-Za-z0-9_][A-Za-z0-9_.\\-]*@[A-Za-z0-9][A-Za-z0-9.\\-]*:[A-Za-z0-9_.~][A-Za-z0-9_./\\-~]*");

  private GitSource() {}

  public static String commit(String sha) {
    if (sha == null || !SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException("commit '" + sha + "' is not a full 40-hex sha");
    }
    return sha;
  }

  /**
   * {@code host/owner/name} → the mirror's path under {@code <root>/git/}, e.g. {@code
   * git/github.com/acme/shop.git}. Any {@link RepoKey} has a place of its own there, since no part
   * of one is {@code .} or {@code ..} or ends in {@code .git}; a request whose key is not one is
   * refused before anything touches the disk.
   */
  public static Path mirrorPath(Path sharedRoot, String repoKey) {
    List<String> parts = RepoKey.parse(repoKey).parts();
    Path path = sharedRoot.resolve("git");
    for (int i = 0; i < parts.size(); i++) {
      String name = parts.get(i).toLowerCase(Locale.ROOT);
      path = path.resolve(i == parts.size() - 1 ? name + ".git" : name);
    }
    return path;
  }

  /** The transports git may use for this URL: https and ssh, and file only in local mode. */
  public static List<String> allowedProtocols(boolean localMode) {
    List<String> protocols = new ArrayList<>(List.of("https", "ssh"));
    if (localMode) {
      protocols.add("file");
    }
    return protocols;
  }

  public static String cloneUrl(String url, boolean localMode) {
    if (url == null
        || url.isBlank()
        || url.startsWith("-")
        || url.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw new IllegalArgumentException("clone URL is empty or has spaces or control characters");
    }
    if (SCP_LIKE.matcher(url).matches()) {
      return url; // user@host:path is ssh
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("clone URL is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!allowedProtocols(localMode).contains(scheme)) {
      throw new IllegalArgumentException(
          "clone URL scheme '"
              + scheme
              + "' is not allowed ("
              + String.join(", ", allowedProtocols(localMode))
              + ")");
    }
    return url;
  }
}

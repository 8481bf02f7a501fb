package dev.gantry.buildworker.git;

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
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,99}");
  private static final Pattern SCP_LIKE =
      Pattern.compile(
          "[A-Za-z0-9_][A-Za-z0-9_.\\-]*@[A-Za-z0-9][A-Za-z0-9.\\-]*:[A-Za-z0-9_.~][A-Za-z0-9_./\\-~]*");

  /** As deep as build-api lets a repository key be: GitLab's nested groups, deep local paths. */
  static final int MAX_KEY_PARTS = 32;

  private GitSource() {}

  public static String commit(String sha) {
    if (sha == null || !SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException("commit '" + sha + "' is not a full 40-hex sha");
    }
    return sha;
  }

  /** {@code host/owner/name} → the mirror's path under {@code <root>/git/}. */
  public static Path mirrorPath(Path sharedRoot, String repoKey) {
    if (repoKey == null) {
      throw new IllegalArgumentException("no repository key");
    }
    String[] parts = repoKey.split("/", -1);
    // build-api registers keys of at most 32 parts (its CloneUrl.MAX_KEY_PARTS)
    if (parts.length < 2 || parts.length > MAX_KEY_PARTS) {
      throw new IllegalArgumentException("repository key '" + repoKey + "' is not host/owner/name");
    }
    Path path = sharedRoot.resolve("git");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (!SEGMENT.matcher(part).matches() || part.endsWith(".git") && i < parts.length - 1) {
        throw new IllegalArgumentException(
            "repository key '" + repoKey + "' has an invalid part '" + part + "'");
      }
      String name =
          i == parts.length - 1
              ? part.toLowerCase(Locale.ROOT).replaceAll("\\.git$", "") + ".git"
              : part.toLowerCase(Locale.ROOT);
      path = path.resolve(name);
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

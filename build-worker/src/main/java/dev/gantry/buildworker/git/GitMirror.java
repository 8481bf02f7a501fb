package dev.gantry.buildworker.git;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The git commands of a build, as argument lists: a bare mirror per repository on the shared root,
 * fetched only when it lacks the commit, and a per-build checkout on local disk that borrows the
 * mirror's objects.
 *
 * <p>Two workers may fetch into one mirror at once: git writes objects and packs as temp files
 * renamed into place and guards each ref with a lock file, so the worst case is a "cannot lock ref"
 * failure, which the caller retries. Automatic gc is off in mirrors, so no object a checkout
 * borrows is ever pruned.
 */
public final class GitMirror {
  private final Path sharedRoot;
  private final boolean localMode;

  public GitMirror(Path sharedRoot, boolean localMode) {
    this.sharedRoot = sharedRoot;
    this.localMode = localMode;
  }

  public Path mirrorOf(String repoKey) {
    return GitSource.mirrorPath(sharedRoot, repoKey);
  }

  /**
   * Creates the mirror if no worker has yet: initialised beside it and renamed into place, so it
   * never exists half-made.
   */
  public List<List<String>> createCommands(Path mirror, Path temp) {
    return List.of(
        git(null, "init", "--quiet", "--bare", "--", temp.toString()),
        git(temp, "config", "gc.auto", "0"),
        git(temp, "config", "fetch.writeCommitGraph", "false"),
        git(temp, "config", "core.logAllRefUpdates", "false"));
  }

  public static Path tempSibling(Path mirror) {
    return mirror.resolveSibling(".tmp-" + mirror.getFileName() + "-" + UUID.randomUUID());
  }

  /** Moves a freshly created mirror into place; false when another worker got there first. */
  public static boolean install(Path temp, Path mirror) throws IOException {
    try {
      Files.createDirectories(mirror.getParent());
      if (Files.exists(mirror)) {
        return false;
      }
      Files.move(temp, mirror, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
      return false;
    } catch (IOException e) {
      if (Files.isDirectory(mirror.resolve("objects"))) {
        return false;
      }
      throw e;
    }
  }

  public List<String> hasCommit(Path mirror, String commit) {
    return git(mirror, "cat-file", "-e", GitSource.commit(commit) + "^{commit}");
  }

  public List<String> fetch(Path mirror, String cloneUrl) {
    return git(
        mirror,
        "fetch",
        "--quiet",
        "--no-write-fetch-head",
        "--no-auto-gc",
        "--",
        GitSource.cloneUrl(cloneUrl, localMode),
        "+refs/heads/*:refs/heads/*",
        "+refs/tags/*:refs/tags/*");
  }

  /** A clone on local disk that reads objects from the mirror instead of copying them. */
  public List<String> cloneShared(Path mirror, Path src) {
    List<String> argv = new ArrayList<>(base(true));
    argv.addAll(
        List.of(
            "clone",
            "--quiet",
            "--no-checkout",
            "--shared",
            "--",
            mirror.toString(),
            src.toString()));
    return argv;
  }

  public List<String> checkout(Path src, String commit) {
    return git(
        src,
        "-c",
        "advice.detachedHead=false",
        "checkout",
        "--quiet",
        "--detach",
        GitSource.commit(commit));
  }

  public List<String> head(Path src) {
    return git(src, "rev-parse", "--verify", "HEAD^{commit}");
  }

  /** The committer time of HEAD, seconds since the epoch. */
  public List<String> commitTime(Path src) {
    return git(src, "show", "--no-patch", "--format=%ct", "HEAD");
  }

  /**
   * The environment of every git process: no prompts, no system or user configuration, no
   * credential helpers of the worker's host.
   */
  public static Map<String, String> env(Path home) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", home.toString());
    env.put("LANG", "C");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    return env;
  }

  private List<String> git(Path dir, String... args) {
    List<String> argv = new ArrayList<>(base(false));
    if (dir != null) {
      argv.add(2, dir.toString());
      argv.add(2, "-C");
    }
    argv.addAll(List.of(args));
    return argv;
  }

  /** {@code git} with only the allowed transports; our own mirror is always reachable as a path. */
  private List<String> base(boolean fromMirror) {
    List<String> argv = new ArrayList<>(List.of("git", "--no-pager", "-c", "protocol.allow=never"));
    List<String> protocols = fromMirror ? List.of("file") : GitSource.allowedProtocols(localMode);
    for (String p : protocols) {
      argv.add("-c");
      argv.add("protocol." + p + ".allow=always");
    }
    argv.add("-c");
    argv.add("core.hooksPath=/dev/null");
    argv.add("-c");
    argv.add("credential.helper=");
    return argv;
  }
}

package dev.gantry.rollout.engine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * {@code <root>/artifacts/<app>/current}: a symbolic link to the version serving the app, for hosts
 * that run the binary straight from the NFS export. It is switched by creating a new link and
 * renaming it over the old one, so a reader sees the old version or the new one, never no link.
 *
 * <p>The folder is the one build-worker wrote the release to, taken from the release's artifact
 * path ({@code artifacts/<app>/<version>/<goos>_<goarch>/<binary>}), not from the rollout app's
 * name: the two differ when the app was registered under another name than the repository's.
 */
public final class CurrentLinks {
  private static final Logger LOG = Logger.getLogger(CurrentLinks.class);
  private static final String TEMP_PREFIX = ".current-";

  private final Path artifacts;

  public CurrentLinks(Path sharedRoot) {
    this.artifacts = sharedRoot.toAbsolutePath().normalize().resolve("artifacts");
  }

  /**
   * Points {@code current} next to the release's version folder at that folder; does nothing when
   * it does already, or when the artifact path is not one of the artifact store's or its folder is
   * missing.
   *
   * @param artifact the release's binary, relative to the shared root
   * @return whether the link changed
   */
  public boolean point(String artifact) {
    Optional<Path> versionDir = versionDir(artifact);
    if (versionDir.isEmpty() || !Files.isDirectory(versionDir.get(), LinkOption.NOFOLLOW_LINKS)) {
      LOG.warnf("not linking current for artifact %s: not a version folder of the store", artifact);
      return false;
    }
    Path appDir = versionDir.get().getParent();
    Path version = versionDir.get().getFileName();
    Path current = appDir.resolve("current");
    try {
      removeStaleTemporaries(appDir);
      if (Files.isSymbolicLink(current) && Files.readSymbolicLink(current).equals(version)) {
        return false;
      }
      Path tmp = appDir.resolve(TEMP_PREFIX + UUID.randomUUID());
      Files.createSymbolicLink(tmp, version);
      try {
        Files.move(tmp, current, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      LOG.infof("%s -> %s", artifacts.relativize(current), version);
      return true;
    } catch (IOException e) {
      LOG.warnf("could not point %s at %s: %s", current, version, e.toString());
      return false;
    }
  }

  /** The version {@code artifacts/<dir>/current} names, or null. */
  public String current(String dir) {
    Path current = artifacts.resolve(dir).normalize().resolve("current");
    try {
      return current.getParent().getParent().equals(artifacts)
              && Files.exists(current, LinkOption.NOFOLLOW_LINKS)
          ? Files.readSymbolicLink(current).toString()
          : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * {@code <root>/artifacts/<app>/<version>} of an artifact path in the store's layout; empty for
   * anything else, such as an absolute path or one that climbs out with {@code ..}.
   */
  Optional<Path> versionDir(String artifact) {
    Path relative;
    try {
      relative = artifact == null ? null : Path.of(artifact);
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    if (relative == null
        || relative.isAbsolute()
        || relative.getNameCount() != 5
        || !relative.getName(0).toString().equals("artifacts")) {
      return Optional.empty();
    }
    for (Path name : relative) {
      String n = name.toString();
      if (n.isEmpty() || n.equals(".") || n.equals("..")) {
        return Optional.empty();
      }
    }
    if (relative.getName(2).toString().equals("current")
        || relative.getName(2).toString().startsWith(TEMP_PREFIX)) {
      return Optional.empty(); // a version so named would be the link itself
    }
    Path versionDir = artifacts.resolve(relative.subpath(1, 3)).normalize();
    return versionDir.getParent().getParent().equals(artifacts)
        ? Optional.of(versionDir)
        : Optional.empty();
  }

  /** A link made by a switch that crashed before its rename; nothing else reads it. */
  private static void removeStaleTemporaries(Path appDir) throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(appDir, TEMP_PREFIX + "*")) {
      for (Path tmp : stale) {
        if (Files.isSymbolicLink(tmp)) {
          Files.deleteIfExists(tmp);
          LOG.infof("removed %s, left by an interrupted switch", tmp);
        }
      }
    }
  }
}

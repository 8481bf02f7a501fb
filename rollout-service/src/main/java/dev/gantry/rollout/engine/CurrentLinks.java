package dev.gantry.rollout.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * {@code <root>/artifacts/<app>/current}: a symbolic link to the version serving the app, for hosts
 * that run the binary straight from the NFS export. It is switched by creating a new link and
 * renaming it over the old one, so a reader sees the old version or the new one, never no link.
 */
public final class CurrentLinks {
  private static final Logger LOG = Logger.getLogger(CurrentLinks.class);

  private final Path artifacts;

  public CurrentLinks(Path sharedRoot) {
    this.artifacts = sharedRoot.toAbsolutePath().normalize().resolve("artifacts");
  }

  /**
   * Points the app's {@code current} at {@code version}; does nothing when it does already or when
   * the version's folder is not in the artifact store.
   *
   * @return whether the link changed
   */
  public boolean point(String app, String version) {
    Path appDir = artifacts.resolve(app).normalize();
    Path versionDir = appDir.resolve(version).normalize();
    if (!appDir.startsWith(artifacts)
        || !versionDir.getParent().equals(appDir)
        || !Files.isDirectory(versionDir)) {
      LOG.warnf("not linking %s/current: no folder %s", app, versionDir);
      return false;
    }
    Path current = appDir.resolve("current");
    try {
      if (Files.isSymbolicLink(current)
          && Files.readSymbolicLink(current).toString().equals(version)) {
        return false;
      }
      Path tmp = appDir.resolve(".current-" + UUID.randomUUID());
      Files.createSymbolicLink(tmp, Path.of(version));
      try {
        Files.move(tmp, current, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      LOG.infof("%s/current -> %s", app, version);
      return true;
    } catch (IOException e) {
      LOG.warnf("could not point %s/current at %s: %s", app, version, e.toString());
      return false;
    }
  }

  /** The version the app's {@code current} names, or null. */
  public String current(String app) {
    Path current = artifacts.resolve(app).resolve("current");
    try {
      return Files.exists(current, LinkOption.NOFOLLOW_LINKS)
          ? Files.readSymbolicLink(current).toString()
          : null;
    } catch (IOException e) {
      return null;
    }
  }
}

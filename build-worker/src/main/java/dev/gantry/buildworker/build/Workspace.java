package dev.gantry.buildworker.build;

import dev.gantry.buildworker.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A build's folder on the worker's local disk (never the shared root): the checkout, the binaries
 * before publication, temp files and a private HOME. Removed when the build ends; a worker that was
 * killed leaves its workspaces behind, and the next start stops whatever still runs in them and
 * removes them.
 */
public final class Workspace implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Workspace.class);

  private final Path root;

  private Workspace(Path root) {
    this.root = root;
  }

  public static Workspace create(Path localDir, String buildId) throws IOException {
    Path root =
        localDir.resolve("workspaces").resolve(buildId + "-" + Long.toHexString(System.nanoTime()));
    Workspace ws = new Workspace(root);
    for (Path p : List.of(ws.src().getParent(), ws.out(), ws.tmp(), ws.home())) {
      Files.createDirectories(p);
    }
    return ws;
  }

  public Path root() {
    return root;
  }

  public Path src() {
    return root.resolve("src");
  }

  public Path out() {
    return root.resolve("out");
  }

  public Path tmp() {
    return root.resolve("tmp");
  }

  public Path home() {
    return root.resolve("home");
  }

  /** Holds the process group id of the program running now. */
  public Path pgidFile() {
    return root.resolve("pgid");
  }

  @Override
  public void close() {
    try {
      ArtifactPublisher.deleteTree(root);
    } catch (IOException e) {
      LOG.warnf("could not remove workspace %s: %s", root, e);
    }
  }

  /**
   * Stops the programs a killed worker left running in its workspaces and removes the workspaces.
   *
   * @return how many process groups were stopped
   */
  public static int reapStale(Path localDir) throws IOException {
    Path dir = localDir.resolve("workspaces");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int stopped = 0;
    List<Path> stale;
    try (Stream<Path> list = Files.list(dir)) {
      stale = list.toList();
    }
    for (Path ws : stale) {
      Path pgidFile = ws.resolve("pgid");
      if (Files.isRegularFile(pgidFile)) {
        try {
          long pgid = Long.parseLong(Files.readString(pgidFile).strip());
          if (groupRunsIn(pgid, ws)) {
            ProcessRunner.signalGroup(pgid, "KILL");
            stopped++;
          }
        } catch (NumberFormatException e) {
          // not ours to interpret
        }
      }
      ArtifactPublisher.deleteTree(ws);
    }
    return stopped;
  }

  /**
   * Whether some live process of group {@code pgid} works inside {@code ws}: a recycled id is not.
   */
  static boolean groupRunsIn(long pgid, Path ws) {
    Path proc = Path.of("/proc");
    try (Stream<Path> pids = Files.list(proc)) {
      return pids.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .anyMatch(p -> pgrp(p) == pgid && cwdIn(p, ws));
    } catch (IOException e) {
      return false;
    }
  }

  private static long pgrp(Path procPid) {
    try {
      String stat = Files.readString(procPid.resolve("stat"));
      // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(rest[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static boolean cwdIn(Path procPid, Path ws) {
    try {
      return Files.readSymbolicLink(procPid.resolve("cwd")).startsWith(ws);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}

package dev.gantry.buildworker.gotool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The shared module download cache, {@code <root>/gomod/download}, in the module proxy layout, so
 * the go command reads it as its first {@code GOPROXY} ({@code file://…}). A worker's own module
 * cache stays local; after a build, files it downloaded that the shared cache lacks are copied in
 * (temp file, fsync, rename), the zip and go.mod before the .info that announces a version.
 */
public final class ModuleCache {
  private final Path shared;

  public ModuleCache(Path sharedRoot) {
    this.shared = sharedRoot.resolve("gomod").resolve("download");
  }

  public Path sharedDir() {
    return shared;
  }

  /** The {@code GOPROXY} value: the shared cache, then the upstream unless it is {@code off}. */
  public String goproxy(String upstream) {
    String file = shared.toUri().toString();
    if (file.endsWith("/")) {
      file = file.substring(0, file.length() - 1);
    }
    return upstream == null || upstream.isBlank() || upstream.equals("off")
        ? file
        : file + "," + upstream;
  }

  /**
   * Copies what the local module cache ({@code GOMODCACHE/cache/download}) has and the shared one
   * lacks.
   *
   * @return how many files were published
   */
  public int publishFrom(Path localDownload) throws IOException {
    if (!Files.isDirectory(localDownload)) {
      return 0;
    }
    List<Path> versionDirs;
    try (Stream<Path> walk = Files.walk(localDownload)) {
      versionDirs =
          walk.filter(p -> p.getFileName().toString().equals("@v") && Files.isDirectory(p))
              .toList();
    }
    int published = 0;
    for (Path dir : versionDirs) {
      Path target = shared.resolve(localDownload.relativize(dir).toString());
      List<Path> files;
      try (Stream<Path> list = Files.list(dir)) {
        files = list.filter(Files::isRegularFile).sorted(ModuleCache::publishOrder).toList();
      }
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(".zip") || name.endsWith(".mod") || name.endsWith(".info")) {
          if (copyIfMissing(file, target.resolve(name))) {
            published++;
          }
        }
      }
      mergeList(dir, target);
    }
    return published;
  }

  /** zip, then mod, then info: a version is announced only once its files are there. */
  private static int publishOrder(Path a, Path b) {
    return Integer.compare(rank(a), rank(b)) != 0
        ? Integer.compare(rank(a), rank(b))
        : a.compareTo(b);
  }

  private static int rank(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".zip") ? 0 : n.endsWith(".mod") ? 1 : 2;
  }

  private static boolean copyIfMissing(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      return false;
    }
    Files.createDirectories(to.getParent());
    Path temp = to.resolveSibling(".tmp-" + to.getFileName() + "-" + UUID.randomUUID());
    try (InputStream in = Files.newInputStream(from);
        FileChannel out =
            FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      in.transferTo(Channels.newOutputStream(out));
      out.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  /**
   * The {@code list} file names the versions a proxy has, for queries such as {@code @latest};
   * builds with {@code -mod=readonly} never need it. It is rewritten whole as the union of the
   * versions whose .info is present; two workers writing at once can drop a line, which the next
   * publication restores.
   */
  private static void mergeList(Path localDir, Path sharedDir) throws IOException {
    if (!Files.isDirectory(sharedDir)) {
      return;
    }
    TreeSet<String> versions = new TreeSet<>();
    try (Stream<Path> list = Files.list(sharedDir)) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".info") && !n.startsWith("."))
          .forEach(n -> versions.add(n.substring(0, n.length() - ".info".length())));
    }
    Path listFile = sharedDir.resolve("list");
    List<String> current = new ArrayList<>();
    try {
      current = Files.readAllLines(listFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      // first version of this module here
    }
    if (new TreeSet<>(current).containsAll(versions)) {
      return;
    }
    versions.addAll(current.stream().filter(s -> !s.isBlank()).toList());
    Path temp = sharedDir.resolve(".tmp-list-" + UUID.randomUUID());
    Files.writeString(temp, String.join("\n", versions) + "\n", StandardCharsets.UTF_8);
    Files.move(temp, listFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}

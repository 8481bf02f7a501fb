package dev.gantry.buildworker.gotool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Helper binaries a worker builds from its toolchain (the cache relay, a go command with the
 * cacheprog experiment), shared through {@code <shared root>/tools/<id>/} so that only the first
 * worker of a cluster spends half a minute on them. The folder appears whole by one rename, lists
 * its files' SHA-256 in {@code SHA256SUMS}, and is checked again on every copy: a damaged folder is
 * moved aside and rebuilt, never executed.
 */
final class SharedTools {
  private static final String SUMS = "SHA256SUMS";

  private final Path root;
  private final String id;

  SharedTools(Path root, String id) {
    this.root = root;
    this.id = id;
  }

  Path dir() {
    return root.resolve(id);
  }

  /**
   * Copies the published tools into {@code bin} (each file by temp + rename), checking every
   * checksum.
   *
   * @return false when nothing is published yet, or what is published is damaged (then it is moved
   *     aside)
   */
  boolean copyTo(Path bin) throws IOException {
    Path sums = dir().resolve(SUMS);
    if (!Files.isRegularFile(sums)) {
      return false;
    }
    List<String[]> entries = new ArrayList<>();
    for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
      String[] parts = line.split("  ", 2);
      if (parts.length != 2 || !parts[1].matches("[A-Za-z0-9._-]+")) {
        quarantine();
        return false;
      }
      entries.add(parts);
    }
    Files.createDirectories(bin);
    for (String[] entry : entries) {
      Path target = bin.resolve(entry[1]);
      Path temp = bin.resolve(".tmp-" + entry[1] + "-" + UUID.randomUUID());
      String actual;
      try (InputStream in = Files.newInputStream(dir().resolve(entry[1]))) {
        actual = copy(in, temp);
      } catch (java.nio.file.NoSuchFileException e) {
        quarantine();
        return false;
      }
      if (!actual.equals(entry[0])) {
        Files.deleteIfExists(temp);
        quarantine();
        return false;
      }
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return true;
  }

  /** Publishes the files of {@code built}; when another worker was first, its copy stays. */
  void publish(Path built) throws IOException {
    Files.createDirectories(root);
    Path stage = root.resolve(".stage-" + id + "-" + UUID.randomUUID());
    Files.createDirectories(stage);
    StringBuilder sums = new StringBuilder();
    try (Stream<Path> files = Files.list(built)) {
      for (Path file : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          sums.append(copy(in, stage.resolve(file.getFileName())))
              .append("  ")
              .append(file.getFileName())
              .append('\n');
        }
      }
    }
    Path sumsFile = stage.resolve(SUMS);
    try (OutputStream out = Files.newOutputStream(sumsFile)) {
      out.write(sums.toString().getBytes(StandardCharsets.UTF_8));
    }
    fsync(sumsFile);
    try {
      Files.move(stage, dir(), StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      deleteTree(stage); // another worker published first
    } catch (AtomicMoveNotSupportedException e) {
      deleteTree(stage);
      throw e;
    }
  }

  private void quarantine() throws IOException {
    try {
      Files.move(dir(), root.resolve(".damaged-" + id + "-" + UUID.randomUUID()));
    } catch (java.nio.file.NoSuchFileException e) {
      // another worker moved it first
    }
  }

  /** Copies into {@code target}, fsyncs it, and returns the SHA-256 of what was written. */
  private static String copy(InputStream in, Path target) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (DigestInputStream digest = new DigestInputStream(in, sha);
        OutputStream out = Files.newOutputStream(target)) {
      digest.transferTo(out);
    }
    fsync(target);
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void fsync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

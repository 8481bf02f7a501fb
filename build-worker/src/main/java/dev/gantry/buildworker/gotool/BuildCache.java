package dev.gantry.buildworker.gotool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The Go build cache in two tiers, content-addressed the way the go command addresses it: an action
 * id names an entry, the entry names an output by its SHA-256 and size.
 *
 * <ul>
 *   <li>the local tier on the worker's own disk, where the go command reads outputs from;
 *   <li>the shared tier on the shared root ({@code <root>/gocache/v1/<toolchain>/{a,o}/…}), filled
 *       by every worker and read when the local tier misses.
 * </ul>
 *
 * Shared files are immutable and appear only whole (temp file, fsync, rename), so no lock is ever
 * needed across hosts. A shared object is checked against its size and hash before use; a damaged
 * one is moved to {@code <root>/gocache/quarantine/} and counts as a miss.
 */
public final class BuildCache {
  private static final Logger LOG = Logger.getLogger(BuildCache.class);
  private static final HexFormat HEX = HexFormat.of();
  private static final String ENTRY_VERSION = "v1";
  private static final int MAX_ENTRY_BYTES = 256;

  /** A lookup that found an output: where the go command can read it, and from which tier. */
  public record Hit(byte[] outputId, long size, Instant time, Path diskPath, boolean shared) {}

  private final Path local;
  private final Path shared;
  private final Path quarantine;

  /**
   * @param toolchain the namespace within each tier, e.g. {@code go1.23.5-linux-amd64}
   */
  public BuildCache(Path localDir, Path sharedRoot, String toolchain) {
    this.local = localDir.resolve("gocache-l1").resolve(toolchain);
    this.shared = sharedRoot.resolve("gocache").resolve("v1").resolve(toolchain);
    this.quarantine = sharedRoot.resolve("gocache").resolve("quarantine").resolve(toolchain);
  }

  public Path sharedDir() {
    return shared;
  }

  public Path localDir() {
    return local;
  }

  /** The shared tier's object file of an output id, e.g. for tests that damage one. */
  public Path sharedObject(String outputHex) {
    return object(shared, outputHex);
  }

  public Optional<Hit> get(byte[] actionId, CacheStatsCounter stats) throws IOException {
    String action = HEX.formatHex(actionId);
    Optional<Hit> hit = getLocal(action);
    if (hit.isPresent()) {
      stats.localHits.incrementAndGet();
      return hit;
    }
    hit = getShared(action, stats);
    if (hit.isPresent()) {
      stats.sharedHits.incrementAndGet();
    } else {
      stats.misses.incrementAndGet();
    }
    return hit;
  }

  private Optional<Hit> getLocal(String action) throws IOException {
    Entry entry;
    try {
      entry = Entry.parse(Files.readAllBytes(entry(local, action)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      Files.deleteIfExists(entry(local, action)); // our own disk: just forget it
      return Optional.empty();
    }
    Path object = object(local, entry.outputHex());
    if (!Files.isRegularFile(object) || Files.size(object) != entry.size()) {
      return Optional.empty();
    }
    return Optional.of(entry.hit(object, false));
  }

  private Optional<Hit> getShared(String action, CacheStatsCounter stats) throws IOException {
    Path entryFile = entry(shared, action);
    Entry entry;
    try {
      byte[] bytes = readSmall(entryFile);
      entry = Entry.parse(bytes);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      quarantine(entryFile, "entry " + action + ": " + e.getMessage(), stats);
      return Optional.empty();
    }
    Path sharedObject = object(shared, entry.outputHex());
    Path target = object(local, entry.outputHex());
    Files.createDirectories(target.getParent());
    Path temp = temp(target);
    MessageDigest sha = sha256();
    long size;
    try (InputStream in = Files.newInputStream(sharedObject);
        OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
      size = in.transferTo(out);
    } catch (NoSuchFileException e) {
      Files.deleteIfExists(temp);
      return Optional.empty();
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    String actual = HEX.formatHex(sha.digest());
    if (size != entry.size() || !actual.equals(entry.outputHex())) {
      Files.deleteIfExists(temp);
      quarantine(
          sharedObject,
          "object "
              + entry.outputHex()
              + ": expected "
              + entry.size()
              + " bytes, read "
              + size
              + (actual.equals(entry.outputHex()) ? "" : " with sha256 " + actual),
          stats);
      return Optional.empty();
    }
    move(temp, target);
    writeAtomically(entry(local, action), entry.bytes(), false);
    return Optional.of(entry.hit(target, true));
  }

  /**
   * Stores an output the go command computed in the local tier, checking it against the id the go
   * command gave it.
   *
   * @return the local path the go command reads the output from
   */
  public Path put(
      byte[] actionId, byte[] outputId, long size, InputStream body, CacheStatsCounter stats)
      throws IOException {
    String outputHex = HEX.formatHex(outputId);
    Path target = object(local, outputHex);
    Files.createDirectories(target.getParent());
    Path temp = temp(target);
    MessageDigest sha = sha256();
    long written;
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
      written = body.transferTo(out);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    String actual = HEX.formatHex(sha.digest());
    if (written != size || !actual.equals(outputHex)) {
      Files.deleteIfExists(temp);
      throw new IOException(
          "put of " + outputHex + ": body of " + written + " bytes hashes to " + actual);
    }
    move(temp, target);
    Entry entry = new Entry(outputHex, size, Instant.now());
    writeAtomically(entry(local, HEX.formatHex(actionId)), entry.bytes(), false);
    stats.puts.incrementAndGet();
    return target;
  }

  /**
   * Copies an action's local entry and output into the shared tier, object first, so that a shared
   * entry never names an object that is not there yet.
   */
  public void publish(byte[] actionId, byte[] outputId, CacheStatsCounter stats) {
    String action = HEX.formatHex(actionId);
    String outputHex = HEX.formatHex(outputId);
    try {
      Path localObject = object(local, outputHex);
      Path sharedObject = object(shared, outputHex);
      long size = Files.size(localObject);
      if (!Files.isRegularFile(sharedObject) || Files.size(sharedObject) != size) {
        Files.createDirectories(sharedObject.getParent());
        Path temp = temp(sharedObject);
        try (InputStream in = Files.newInputStream(localObject);
            FileChannel out =
                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          in.transferTo(java.nio.channels.Channels.newOutputStream(out));
          out.force(true);
        } catch (IOException e) {
          Files.deleteIfExists(temp);
          throw e;
        }
        move(temp, sharedObject);
      }
      writeAtomically(entry(shared, action), Files.readAllBytes(entry(local, action)), true);
      stats.published.incrementAndGet();
    } catch (IOException e) {
      stats.publishFailures.incrementAndGet();
      LOG.warnf("could not publish cache object %s to the shared tier: %s", outputHex, e);
    }
  }

  private void quarantine(Path file, String why, CacheStatsCounter stats) {
    stats.quarantined.incrementAndGet();
    LOG.warnf("damaged shared cache %s: quarantined, not used", why);
    try {
      Files.createDirectories(quarantine);
      Files.move(
          file,
          quarantine.resolve(file.getFileName() + "." + System.currentTimeMillis()),
          StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      // another worker set it aside first
    } catch (IOException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // it stays a miss for everyone: the check runs on every read
      }
    }
  }

  private static byte[] readSmall(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_ENTRY_BYTES + 1);
      if (bytes.length > MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException("entry larger than " + MAX_ENTRY_BYTES + " bytes");
      }
      return bytes;
    }
  }

  static void writeAtomically(Path file, byte[] content, boolean durable) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = temp(file);
    try (FileChannel out =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(java.nio.ByteBuffer.wrap(content));
      if (durable) {
        out.force(true);
      }
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    move(temp, file);
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  private static Path temp(Path target) {
    return target.resolveSibling(".tmp-" + target.getFileName() + "-" + UUID.randomUUID());
  }

  private static Path entry(Path tier, String actionHex) {
    return tier.resolve("a").resolve(actionHex.substring(0, 2)).resolve(actionHex);
  }

  private static Path object(Path tier, String outputHex) {
    return tier.resolve("o").resolve(outputHex.substring(0, 2)).resolve(outputHex);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An entry file: {@code v1 <output sha256 hex> <size> <unix nanos>\n}. */
  record Entry(String outputHex, long size, Instant time) {
    static Entry parse(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.US_ASCII);
      if (!text.endsWith("\n")) {
        throw new IllegalArgumentException("truncated");
      }
      String[] parts = text.strip().split(" ");
      if (parts.length != 4 || !parts[0].equals(ENTRY_VERSION)) {
        throw new IllegalArgumentException("not a v1 entry");
      }
      if (!parts[1].matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("bad output id");
      }
      try {
        long size = Long.parseLong(parts[2]);
        long nanos = Long.parseLong(parts[3]);
        if (size < 0) {
          throw new IllegalArgumentException("negative size");
        }
        return new Entry(
            parts[1], size, Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad number");
      }
    }

    byte[] bytes() {
      long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
      return (ENTRY_VERSION + " " + outputHex + " " + size + " " + nanos + "\n")
          .getBytes(StandardCharsets.US_ASCII);
    }

    Hit hit(Path diskPath, boolean fromShared) {
      return new Hit(HEX.parseHex(outputHex), size, time, diskPath, fromShared);
    }
  }
}

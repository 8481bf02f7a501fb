package dev.gantry.buildworker.gotool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
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
import java.util.Queue;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
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

  /** v1 (before CRC-32C) is read as a miss and replaced; anything unparsable is damage. */
  private static final String ENTRY_VERSION = "v2";

  private static final int MAX_ENTRY_BYTES = 256;
  private static final ThreadLocal<ByteBuffer> READ_BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(256 * 1024));

  /** Temp names: unique per process without asking SecureRandom for every file. */
  private static final String TEMP_PREFIX =
      ".tmp-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()) + "-";

  private static final java.util.concurrent.atomic.AtomicLong TEMP_COUNTER =
      new java.util.concurrent.atomic.AtomicLong();

  /** A lookup that found an output: where the go command can read it, and from which tier. */
  public record Hit(byte[] outputId, long size, Instant time, Path diskPath, boolean shared) {}

  private final Path local;
  private final Path shared;
  private final Path quarantine;

  /** Copies shared objects into the local tier in the background, one at a time. */
  private final java.util.concurrent.ExecutorService fills =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "cache-fill");
            t.setDaemon(true);
            return t;
          });

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

  /**
   * Looks an action up, local tier first. A hit in the shared tier answers with the checked shared
   * object and adds its copy into the local tier to {@code localFills}, for the caller to run once
   * the build no longer competes for the CPU ({@link #fill}).
   */
  public Optional<Hit> get(byte[] actionId, CacheStatsCounter stats, Queue<Runnable> localFills)
      throws IOException {
    String action = HEX.formatHex(actionId);
    long start = System.nanoTime();
    Optional<Hit> hit = getLocal(action);
    if (hit.isPresent()) {
      stats.localHits.incrementAndGet();
      stats.localNanos.addAndGet(System.nanoTime() - start);
      return hit;
    }
    hit = getShared(action, stats, localFills);
    if (hit.isPresent()) {
      stats.sharedHits.incrementAndGet();
      stats.sharedNanos.addAndGet(System.nanoTime() - start);
    } else {
      stats.misses.incrementAndGet();
      stats.missNanos.addAndGet(System.nanoTime() - start);
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

  private Optional<Hit> getShared(
      String action, CacheStatsCounter stats, Queue<Runnable> localFills) throws IOException {
    Path entryFile = entry(shared, action);
    Entry entry;
    try {
      byte[] bytes = readSmall(entryFile);
      entry = Entry.parse(bytes);
    } catch (NoSuchFileException | OutdatedEntry e) {
      return Optional.empty(); // an outdated entry is replaced by the next publish of the action
    } catch (IllegalArgumentException e) {
      quarantine(entryFile, "entry " + action + ": " + e.getMessage(), stats);
      return Optional.empty();
    }
    Path sharedObject = object(shared, entry.outputHex());
    CRC32C crc = new CRC32C();
    long size = 0;
    // through a direct buffer: the CRC runs on its intrinsic and the bytes never enter the Java
    // heap, which keeps a fresh worker (cold JIT) fast on its first build
    ByteBuffer buffer = READ_BUFFER.get();
    try (FileChannel in = FileChannel.open(sharedObject, StandardOpenOption.READ)) {
      while (true) {
        buffer.clear();
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        size += n;
        buffer.flip();
        crc.update(buffer);
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (size != entry.size() || crc.getValue() != entry.crc()) {
      quarantine(
          sharedObject,
          String.format(
              "object %s: expected %d bytes with CRC-32C %08x, read %d bytes with %08x",
              entry.outputHex(), entry.size(), entry.crc(), size, crc.getValue()),
          stats);
      return Optional.empty();
    }
    // the go command reads the checked, immutable object where it is; the copy into the local
    // tier, for this worker's next builds, waits until the build is done
    localFills.add(() -> fillLocal(action, entry, sharedObject));
    return Optional.of(entry.hit(sharedObject, true));
  }

  /**
   * Copies, in the background and one at a time, what a finished build read from the shared tier.
   */
  public void fill(Queue<Runnable> localFills) {
    for (Runnable r; (r = localFills.poll()) != null; ) {
      fills.execute(r);
    }
  }

  private void fillLocal(String action, Entry entry, Path sharedObject) {
    Path target = object(local, entry.outputHex());
    Path temp = temp(target);
    try {
      Files.createDirectories(target.getParent());
      try (FileChannel in = FileChannel.open(sharedObject, StandardOpenOption.READ);
          FileChannel out =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long done = 0;
        long size = in.size();
        while (done < size) {
          done += in.transferTo(done, size - done, out);
        }
      }
      if (Files.size(temp) != entry.size()) {
        Files.deleteIfExists(temp);
        return; // changed under us: the next lookup checks the shared object again
      }
      move(temp, target);
      writeAtomically(entry(local, action), entry.bytes(), false);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a stray temp file in the local tier is harmless
      }
      LOG.debugf("could not copy cache object %s to the local tier: %s", entry.outputHex(), e);
    }
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
    CRC32C crc = new CRC32C();
    long written;
    try (OutputStream out =
        new DigestOutputStream(new CheckedOutputStream(Files.newOutputStream(temp), crc), sha)) {
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
    Entry entry = new Entry(outputHex, size, Instant.now(), crc.getValue());
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
    return target.resolveSibling(
        TEMP_PREFIX + TEMP_COUNTER.incrementAndGet() + "-" + target.getFileName());
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

  /** An entry another version of the worker wrote: not damage, just not ours to read. */
  static final class OutdatedEntry extends IllegalArgumentException {
    OutdatedEntry(String version) {
      super("a " + version + " entry");
    }
  }

  /**
   * An entry file: {@code v2 <output sha256 hex> <size> <unix nanos> <CRC-32C hex>\n}. The output
   * id is the SHA-256 of the object, checked when the go command stores it; a read from the shared
   * tier checks size and CRC-32C, which catch any damage to a stored file at a small fraction of
   * the cost of SHA-256 (measured in docs/benchmarks.md).
   */
  record Entry(String outputHex, long size, Instant time, long crc) {
    static Entry parse(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.US_ASCII);
      if (!text.endsWith("\n")) {
        throw new IllegalArgumentException("truncated");
      }
      String[] parts = text.strip().split(" ");
      if (!parts[0].equals(ENTRY_VERSION) && parts[0].matches("v[0-9]{1,3}")) {
        throw new OutdatedEntry(parts[0]);
      }
      if (parts.length != 5 || !parts[0].equals(ENTRY_VERSION)) {
        throw new IllegalArgumentException("not a " + ENTRY_VERSION + " entry");
      }
      if (!lowerHex(parts[1], 64)) {
        throw new IllegalArgumentException("bad output id");
      }
      try {
        long size = Long.parseLong(parts[2]);
        long nanos = Long.parseLong(parts[3]);
        if (size < 0) {
          throw new IllegalArgumentException("negative size");
        }
        if (!lowerHex(parts[4], 8)) {
          throw new IllegalArgumentException("bad CRC-32C");
        }
        return new Entry(
            parts[1],
            size,
            Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L),
            Long.parseLong(parts[4], 16));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad number");
      }
    }

    /** Without a regex: this runs for every lookup, often before the JIT has compiled anything. */
    private static boolean lowerHex(String s, int length) {
      if (s.length() != length) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        char c = s.charAt(i);
        if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
          return false;
        }
      }
      return true;
    }

    byte[] bytes() {
      long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
      return String.format(
              java.util.Locale.ROOT,
              "%s %s %d %d %08x\n",
              ENTRY_VERSION,
              outputHex,
              size,
              nanos,
              crc)
          .getBytes(StandardCharsets.US_ASCII);
    }

    Hit hit(Path diskPath, boolean fromShared) {
      return new Hit(HEX.parseHex(outputHex), size, time, diskPath, fromShared);
    }
  }
}

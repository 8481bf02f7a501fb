package dev.gantry.buildapi.logs;

import dev.gantry.buildapi.config.BuildApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.OptionalLong;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The build logs the workers write to {@code <shared root>/logs/builds/<build id>.log}: append-only
 * UTF-8 lines with one writer. Read only, and only there: the file name is made from a parsed
 * {@link UUID}, and symbolic links are never followed. Each read opens the file again, so that an
 * NFS client sees what the worker wrote before it closed or flushed (close-to-open consistency).
 */
@ApplicationScoped
public class BuildLogs {
  /** The most a follower is sent at once. */
  public static final int MAX_CHUNK_BYTES = 64 * 1024;

  private static final Logger LOG = Logger.getLogger(BuildLogs.class);
  private static final int SCAN_BYTES = 8 * 1024;

  @Inject BuildApiConfig config;

  public Path pathOf(UUID build) {
    Path dir =
        config.shared().root().toAbsolutePath().normalize().resolve("logs").resolve("builds");
    Path file = dir.resolve(build + ".log").normalize();
    if (!dir.equals(file.getParent())) {
      throw new IllegalStateException("log path escapes " + dir);
    }
    return file;
  }

  /** The log's size now; empty while the worker has not created it. */
  public OptionalLong size(UUID build) {
    Path file = pathOf(build);
    try {
      BasicFileAttributes a =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        LOG.warnf("ignoring %s: not a regular file", file);
        return OptionalLong.empty();
      }
      return OptionalLong.of(a.size());
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The offset right after the last newline between {@code from} and {@code size}, or {@code from}
   * when there is none: where a reader stops to leave out a line still being written.
   */
  public long lastLineEnd(UUID build, long from, long size) {
    if (size <= from) {
      return from;
    }
    try (FileChannel ch = open(build)) {
      ByteBuffer buf = ByteBuffer.allocate(SCAN_BYTES);
      long blockEnd = size;
      while (blockEnd > from) {
        long blockStart = Math.max(from, blockEnd - SCAN_BYTES);
        buf.clear().limit((int) (blockEnd - blockStart));
        readFully(ch, buf, blockStart);
        for (int i = buf.position() - 1; i >= 0; i--) {
          if (buf.get(i) == '\n') {
            return blockStart + i + 1;
          }
        }
        blockEnd = blockStart;
      }
      return from;
    } catch (NoSuchFileException e) {
      return from;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The whole lines after {@code offset}, at most {@link #MAX_CHUNK_BYTES} of them.
   *
   * @param finished the build is over: a last line without a newline will not get one
   */
  public LogLines.Chunk read(UUID build, long offset, boolean finished) {
    if (size(build).isEmpty()) {
      return LogLines.Chunk.empty(offset);
    }
    try (FileChannel ch = open(build)) {
      long size = ch.size();
      if (offset >= size) {
        return LogLines.Chunk.empty(offset);
      }
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_CHUNK_BYTES, size - offset));
      readFully(ch, buf, offset);
      int n = buf.position();
      return LogLines.split(
          buf.array(), n, offset, n == MAX_CHUNK_BYTES, finished && offset + n >= size);
    } catch (NoSuchFileException e) {
      return LogLines.Chunk.empty(offset);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FileChannel open(UUID build) throws IOException {
    return FileChannel.open(pathOf(build), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf, position + buf.position()) < 0) {
        return;
      }
    }
  }
}

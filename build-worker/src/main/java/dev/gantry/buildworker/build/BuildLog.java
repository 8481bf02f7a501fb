package dev.gantry.buildworker.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A build's log at {@code <root>/logs/builds/<id>.log}, written line by line as the build runs so
 * that build-api can follow it. The one file on the shared root that grows in place: it has one
 * writer, the worker that runs the attempt; a redelivered build appends a new attempt header.
 * Credentials in URLs are masked before a line is written.
 */
public final class BuildLog implements AutoCloseable {
  public static final int TAIL_LINES = 40;
  private static final int MAX_LINE = 8_192;
  private static final Pattern URL_USERINFO =
      Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");

  private final Path file;
  private final OutputStream out;
  private final ArrayDeque<String> tail = new ArrayDeque<>();

  private BuildLog(Path file, OutputStream out) {
    this.file = file;
    this.out = out;
  }

  public static Path pathOf(Path sharedRoot, String buildId) {
    return sharedRoot.resolve("logs").resolve("builds").resolve(buildId + ".log");
  }

  public static BuildLog open(Path sharedRoot, String buildId) throws IOException {
    Path file = pathOf(sharedRoot, buildId);
    Files.createDirectories(file.getParent());
    return new BuildLog(
        file,
        Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
  }

  public Path file() {
    return file;
  }

  /** A line from the worker itself, marked so that readers tell it from the tools' output. */
  public void step(String message) {
    line("[gantry " + Instant.now() + "] " + message);
  }

  public synchronized void line(String raw) {
    String line = mask(raw);
    if (line.length() > MAX_LINE) {
      line = line.substring(0, MAX_LINE) + " …[truncated]";
    }
    tail.addLast(line);
    if (tail.size() > TAIL_LINES) {
      tail.removeFirst();
    }
    try {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      // the build goes on; the tail still reaches BuildFailed
    }
  }

  /** The last lines, for BuildFailed. */
  public synchronized List<String> tail() {
    return List.copyOf(tail);
  }

  static String mask(String line) {
    return URL_USERINFO.matcher(line).replaceAll("$1***@");
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      // nothing left to do with a log we cannot close
    }
  }
}

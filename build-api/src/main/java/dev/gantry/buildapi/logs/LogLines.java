package dev.gantry.buildapi.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts bytes read from a log into lines. Only whole lines leave, so that a reader never shows half
 * a line (or half a UTF-8 character) that the worker is still writing; the one exception is a line
 * longer than the buffer, which leaves in buffer-sized pieces so that it cannot stall a follower.
 */
public final class LogLines {

  /**
   * Lines read from byte offset {@code start}; {@code end} is the offset right after the last of
   * them. {@code more} is true when the read stopped at the size bound rather than at the end of
   * the file.
   */
  public record Chunk(List<String> lines, long start, long end, boolean more) {
    public static Chunk empty(long at) {
      return new Chunk(List.of(), at, at, false);
    }

    public boolean isEmpty() {
      return lines.isEmpty();
    }
  }

  private LogLines() {}

  /**
   * @param bytes {@code length} bytes read at offset {@code start}
   * @param full true when the read filled its buffer: there may be more after it, and a buffer
   *     without a newline holds a piece of a line too long to wait for
   * @param last true when these bytes run to the end of a log that will never grow again: a last
   *     line without its newline is then a line too
   */
  public static Chunk split(byte[] bytes, int length, long start, boolean full, boolean last) {
    List<String> lines = new ArrayList<>();
    int lineStart = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\n') {
        lines.add(decode(bytes, lineStart, i));
        lineStart = i + 1;
      }
    }
    if (lineStart < length) {
      if (lineStart == 0 && full) {
        int cut = characterBoundary(bytes, length);
        lines.add(decode(bytes, 0, cut));
        lineStart = cut;
      } else if (last) {
        lines.add(decode(bytes, lineStart, length));
        lineStart = length;
      }
    }
    return new Chunk(List.copyOf(lines), start, start + lineStart, full);
  }

  private static String decode(byte[] bytes, int from, int to) {
    int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
    return new String(bytes, from, end - from, StandardCharsets.UTF_8);
  }

  /** The largest cut at or before {@code length} that does not split a UTF-8 sequence. */
  static int characterBoundary(byte[] bytes, int length) {
    int lead = length - 1;
    while (lead > 0 && (bytes[lead] & 0xC0) == 0x80 && length - lead < 4) {
      lead--;
    }
    int b = bytes[lead] & 0xFF;
    int size = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    int cut = lead + size <= length ? length : lead;
    return cut > 0 ? cut : length;
  }
}

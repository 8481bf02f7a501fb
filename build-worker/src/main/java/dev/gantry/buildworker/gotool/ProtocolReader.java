package dev.gantry.buildworker.gotool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

/**
 * Reads the go command's cache protocol: JSON lines, and put bodies as one base64 JSON string per
 * line, streamed rather than held in memory (a body can be tens of megabytes).
 */
final class ProtocolReader {
  private static final int MAX_LINE = 1 << 20;

  private final InputStream in;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;

  ProtocolReader(InputStream in) {
    this.in = in;
  }

  /** The next line without its newline, or null at the end of the stream. */
  byte[] readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    while (true) {
      if (pos == limit && !fill()) {
        return line.size() == 0 ? null : line.toByteArray();
      }
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      line.write(buf, start, pos - start);
      if (line.size() > MAX_LINE) {
        throw new IOException("protocol line longer than " + MAX_LINE + " bytes");
      }
      if (pos < limit) {
        pos++; // the newline
        return line.toByteArray();
      }
    }
  }

  /**
   * The decoded body that follows a put: {@code "<base64>"\n}. Reading it to the end consumes the
   * closing quote and the newline.
   */
  InputStream base64Body() throws IOException {
    int first = next();
    while (first == '\n' || first == '\r') {
      first = next();
    }
    if (first != '"') {
      throw new IOException("expected a JSON string body, got byte " + first);
    }
    return Base64.getDecoder().wrap(new Quoted());
  }

  private int next() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  /** The body's characters up to the closing quote. */
  private final class Quoted extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (pos == limit && !fill()) {
        throw new IOException("connection ended inside a put body");
      }
      int n = 0;
      while (n < len && pos < limit) {
        byte c = buf[pos++];
        if (c == '"') {
          done = true;
          if (pos < limit && buf[pos] == '\n') {
            pos++;
          } else if (pos == limit && fill() && buf[pos] == '\n') {
            pos++;
          }
          break;
        }
        b[off + n++] = c;
      }
      return n == 0 && done ? -1 : n;
    }

    @Override
    public void close() throws IOException {
      // drain to the closing quote so the next request starts on its own line
      byte[] skip = new byte[8192];
      while (read(skip, 0, skip.length) != -1) {
        // discard
      }
    }
  }
}

package dev.gantry.rollout.router.nginx;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.0 GETs on a new connection each, so every request is routed on its own and no pooled
 * connection outlives an nginx reload (keep-alive off, on purpose).
 */
final class PlainHttp {
  private PlainHttp() {}

  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Response get(int port, String path) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(ISO_8859_1));
      String raw = new String(socket.getInputStream().readAllBytes(), ISO_8859_1);
      int end = raw.indexOf("\r\n\r\n");
      String[] lines = raw.substring(0, end).split("\r\n");
      Map<String, String> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      return new Response(
          Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(end + 4).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("GET 127.0.0.1:" + port + path, e);
    }
  }
}

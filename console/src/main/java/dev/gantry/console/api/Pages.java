package dev.gantry.console.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The HTML shells of the pages (their data comes from the JSON API), and where login returns. */
public final class Pages {
  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private Pages() {}

  /** {@code pages/<name>.html} from the classpath; the shells hold no data, so they are kept. */
  static String html(String name) {
    return CACHE.computeIfAbsent(
        name,
        n -> {
          try (InputStream in =
              Pages.class.getClassLoader().getResourceAsStream("pages/" + n + ".html")) {
            if (in == null) {
              throw new IllegalStateException("no page " + n);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The login page that brings the browser back to {@code requested} afterwards. */
  static String loginUrl(URI requested) {
    String local = requested.getRawPath();
    if (requested.getRawQuery() != null) {
      local += "?" + requested.getRawQuery();
    }
    return "/login?next=" + URLEncoder.encode(safeNext(local), StandardCharsets.UTF_8);
  }

  /**
   * {@code next} when it is a path on this console, else {@code /}: one leading slash, no second
   * slash or backslash after it (a browser reads {@code //evil.example} and {@code /\evil.example}
   * as another host), no scheme, no control characters.
   */
  public static String safeNext(String next) {
    if (next == null
        || next.length() > 2000
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.startsWith("/\\")) {
      return "/";
    }
    for (int i = 0; i < next.length(); i++) {
      char c = next.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        return "/";
      }
    }
    return next;
  }
}

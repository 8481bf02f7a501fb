package dev.gantry.console.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The HTML shells of the pages (their data comes from the JSON API), and where login returns. */
public final class Pages {
  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  /** uPlot, from its WebJar: the rollout page's charts. */
  private static final String UPLOT =
      "<link rel=\"stylesheet\" href=\"/webjars/uplot/1.6.30/dist/uPlot.min.css\">\n"
          + "<script src=\"/webjars/uplot/1.6.30/dist/uPlot.iife.min.js\" defer></script>\n";

  /** A page behind the login: its title, what its head adds, and its scripts after console.js. */
  private record Shell(String title, String head, List<String> scripts) {}

  private static final Map<String, Shell> SHELLS =
      Map.of(
          "apps", new Shell("Apps", "", List.of("apps")),
          "app", new Shell("App", "", List.of("apps", "app")),
          "rollout", new Shell("Rollout", UPLOT, List.of("rollout")),
          "build", new Shell("Build", "", List.of("build")),
          "alerts", new Shell("Alerts", "", List.of("alerts")));

  private Pages() {}

  /**
   * A page's HTML: the login page as it is, every other one the common shell ({@code
   * pages/shell.html}: header, away banner, main) with its title and scripts. The shells hold no
   * data, so they are built once.
   */
  static String html(String name) {
    return CACHE.computeIfAbsent(
        name,
        n -> {
          Shell shell = SHELLS.get(n);
          if (shell == null) {
            return resource(n);
          }
          StringBuilder scripts = new StringBuilder();
          for (String script : shell.scripts()) {
            scripts
                .append("<script src=\"/static/")
                .append(script)
                .append(".js\" defer></script>\n");
          }
          return resource("shell")
              .replace("{title}", shell.title())
              .replace("{head}", shell.head())
              .replace("{scripts}", scripts);
        });
  }

  private static String resource(String name) {
    try (InputStream in =
        Pages.class.getClassLoader().getResourceAsStream("pages/" + name + ".html")) {
      if (in == null) {
        throw new IllegalStateException("no page " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

package dev.gantry.rollout.router.nginx;

import dev.gantry.rollout.router.LocalBackends.RunningBackend;
import dev.gantry.rollout.router.RouterException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** One app's nginx configuration: its weighted upstream and the server that listens for it. */
final class NginxConfig {
  /** Safe as a file name part and inside an nginx upstream name; no quoting needed anywhere. */
  private static final Pattern APP = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

  /** Response header naming the weights that served a request, to see when a reload took effect. */
  static final String WEIGHTS_HEADER = "X-Gantry-Weights";

  private NginxConfig() {}

  /** One track as nginx sees it; a track at 0 % is left out of the upstream. */
  record Server(String track, RunningBackend backend, int weight) {}

  static String requireApp(String app) {
    if (app == null || !APP.matcher(app).matches()) {
      throw new RouterException(
          "app name "
              + printable(app)
              + " is not usable with nginx: it must be 1 to 63 lower-case letters, digits, '-' or"
              + " '_', starting with a letter or digit");
    }
    return app;
  }

  static String requireVersion(String version) {
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new RouterException(
          "version "
              + printable(version)
              + " is not usable with nginx: it must be 1 to 128 letters, digits, '.', '_', '+' or"
              + " '-', starting with a letter or digit");
    }
    return version;
  }

  static String fileName(String app) {
    return "gantry-" + requireApp(app) + ".conf";
  }

  /**
   * Weights are the integer percentages; nginx needs each to be at least 1, so a track at 0 % is
   * not in the upstream at all. A failing server is neither skipped ({@code max_fails=0}) nor are
   * its requests retried on the other one: either would move traffic off a bad canary and hide from
   * the analysis what the canary does to its share.
   */
  static String render(String app, int listenPort, List<Server> servers) {
    requireApp(app);
    List<String> weights = new ArrayList<>();
    StringBuilder upstream = new StringBuilder();
    for (Server server : servers) {
      requireVersion(server.backend().version());
      weights.add(server.track() + "=" + server.weight());
      if (server.weight() > 0) {
        upstream.append(
            "    server %s:%d weight=%d max_fails=0;  # %s %s\n"
                .formatted(
                    server.backend().host(),
                    server.backend().port(),
                    server.weight(),
                    server.track(),
                    server.backend().version()));
      }
    }
    return """
        # written by gantry-rollout for app %1$s; changes here are overwritten
        upstream gantry_%1$s {
        %2$s    keepalive 16;
        }

        server {
            listen 127.0.0.1:%3$d;
            location / {
                proxy_pass http://gantry_%1$s;
                proxy_http_version 1.1;
                proxy_set_header Connection "";
                proxy_set_header Host $host;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_next_upstream off;
                add_header %4$s "%5$s" always;
            }
        }
        """
        .formatted(app, upstream, listenPort, WEIGHTS_HEADER, String.join(" ", weights));
  }

  /** The refused value as it can be shown in a log line: control characters as '?', cut at 80. */
  private static String printable(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}

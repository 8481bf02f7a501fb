package dev.gantry.rollout.router.nginx;

import dev.gantry.events.id.AppName;
import dev.gantry.events.id.Version;
import dev.gantry.rollout.router.LocalBackends.RunningBackend;
import dev.gantry.rollout.router.RouterException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** One app's nginx configuration: its weighted upstream and the server that listens for it. */
final class NginxConfig {
  /** Response header naming the weights that served a request, to see when a reload took effect. */
  static final String WEIGHTS_HEADER = "X-Gantry-Weights";

  /**
   * Answered by nginx itself, never proxied: the token of the configuration that serves, so the
   * router can tell when a reload has taken effect.
   */
  static final String ROUTE_PATH = "/.gantry/route";

  /** An app's file, and the token its {@link #ROUTE_PATH} answers once nginx serves it. */
  record Rendered(String text, String token) {}

  private NginxConfig() {}

  /** One track as nginx sees it; a track at 0 % is left out of the upstream. */
  record Server(String track, RunningBackend backend, int weight) {}

  /** Any {@link AppName} is safe as a file name part and in an upstream name, unquoted. */
  static String requireApp(String app) {
    return require(AppName.isValid(app), app, "app name", AppName.RULE);
  }

  /** Any {@link Version} is safe in a comment of the upstream, unquoted. */
  static String requireVersion(String version) {
    return require(Version.isValid(version), version, "version", Version.RULE);
  }

  private static String require(boolean valid, String value, String what, String rule) {
    if (!valid) {
      throw new RouterException(
          what + " " + printable(value) + " is not usable with nginx: it must be " + rule);
    }
    return value;
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
  static Rendered render(String app, int listenPort, List<Server> servers) {
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
    String token = token(app + " " + listenPort + "\n" + upstream + String.join(" ", weights));
    String text =
        """
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
            location = %6$s {
                default_type text/plain;
                return 200 "%7$s";
            }
        }
        """
            .formatted(
                app,
                upstream,
                listenPort,
                WEIGHTS_HEADER,
                String.join(" ", weights),
                ROUTE_PATH,
                token);
    return new Rendered(text, token);
  }

  private static String token(String configuration) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(configuration.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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

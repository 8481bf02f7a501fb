package dev.gantry.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a running Gantry answers, and the tokens to ask it with: what {@code ./gantry up} writes to
 * {@code var/local.env}, or what a test's own stack hands over.
 *
 * @param console the console's base URL; empty when there is none to link to
 * @param alertReceiverPort where the Alertmanager-format webhooks arrive that the demo's receiver
 *     listens for (monitor-service's plain webhook channel, or a local Alertmanager's receiver); 0
 *     when pages go to the user's own channels instead
 */
public record Endpoints(
    String buildApi,
    String rollout,
    String monitor,
    String console,
    String operatorToken,
    String viewerToken,
    Path sharedRoot,
    int alertReceiverPort) {

  private static final List<String> REQUIRED =
      List.of(
          "GANTRY_BUILD_API_URL",
          "GANTRY_ROLLOUT_URL",
          "GANTRY_MONITOR_URL",
          "GANTRY_OPERATOR_TOKEN",
          "GANTRY_VIEWER_TOKEN",
          "GANTRY_SHARED_ROOT");

  public boolean hasConsole() {
    return !console.isBlank();
  }

  /** Reads the {@code KEY='value'} lines of {@code var/local.env}; nothing in it is executed. */
  public static Endpoints fromEnvFile(Path file) throws IOException {
    Map<String, String> values = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      int eq = trimmed.indexOf('=');
      if (trimmed.isEmpty() || trimmed.startsWith("#") || eq < 1) {
        continue;
      }
      String value = trimmed.substring(eq + 1);
      if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(trimmed.substring(0, eq), value);
    }
    List<String> missing = REQUIRED.stream().filter(k -> !values.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          file + " lacks " + missing + ": it was written by an older ./gantry up; run it again");
    }
    return new Endpoints(
        values.get("GANTRY_BUILD_API_URL"),
        values.get("GANTRY_ROLLOUT_URL"),
        values.get("GANTRY_MONITOR_URL"),
        values.getOrDefault("GANTRY_CONSOLE_URL", ""),
        values.get("GANTRY_OPERATOR_TOKEN"),
        values.get("GANTRY_VIEWER_TOKEN"),
        Path.of(values.get("GANTRY_SHARED_ROOT")),
        Integer.parseInt(values.getOrDefault("GANTRY_ALERT_RECEIVER_PORT", "0")));
  }
}

package dev.gantry.edge;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The console's page addresses, for every service that links to them (the monitor's pages, the
 * demo's output). One place, so a link sent at 3 a.m. lands on the page the console serves.
 */
public final class ConsoleLinks {
  /** The console of the embedded default. */
  public static final String DEFAULT_URL = "http://127.0.0.1:8084";

  private ConsoleLinks() {}

  /** The page of one rollout: its timeline, charts, evidence and actions. */
  public static String rollout(String consoleUrl, String rolloutId) {
    return base(consoleUrl) + "/rollouts/" + segment(rolloutId);
  }

  /** The page of one build: stages, artifacts, live log and its trail into production. */
  public static String build(String consoleUrl, String buildId) {
    return base(consoleUrl) + "/builds/" + segment(buildId);
  }

  /** The page of one app: releases, the running rollout, the last verdicts and builds. */
  public static String app(String consoleUrl, String app) {
    return base(consoleUrl) + "/apps/" + segment(app);
  }

  private static String base(String consoleUrl) {
    String u = consoleUrl.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

package dev.gantry.console.upstream;

/** The services behind the console, by the names pages and problems show. */
public enum Service {
  BUILD_API("build-api"),
  ROLLOUT("rollout-service"),
  MONITOR("monitor-service");

  private final String label;

  Service(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}

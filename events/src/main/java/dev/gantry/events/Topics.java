package dev.gantry.events;

/**
 * Default Kafka topic names. Services map their channels to topics in application.properties; these
 * constants are the defaults those files and the tests share.
 */
public final class Topics {
  public static final String BUILD_REQUESTS = "build.requests";
  public static final String BUILD_EVENTS = "build.events";
  public static final String ROLLOUT_EVENTS = "rollout.events";
  public static final String ANALYSIS_VERDICTS = "analysis.verdicts";

  /**
   * monitor-service's notices of stored samples, for live views; consumers keep no state from it.
   */
  public static final String ANALYSIS_SAMPLES = "analysis.samples";

  private Topics() {}

  /** The key of a {@code build.requests} record: one branch is one ordered partition stream. */
  public static String buildRequestKey(String repo, String refName) {
    return repo + "@" + refName;
  }
}

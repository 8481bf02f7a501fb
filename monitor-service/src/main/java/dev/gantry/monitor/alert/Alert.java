package dev.gantry.monitor.alert;

import java.time.Instant;

/**
 * One incident: a detector that failed a rollout's canary. Opened by the FAIL, resolved when the
 * rollback is seen on rollout.events.
 *
 * @param dedupKey app, rollout and detector: PagerDuty's {@code dedup_key}, Alertmanager's group
 * @param action what Gantry did about it, e.g. "rollback requested"
 */
public record Alert(
    String id,
    String app,
    String rolloutId,
    int step,
    String detector,
    String dedupKey,
    String canaryVersion,
    String stableVersion,
    String summary,
    Double canaryValue,
    Double stableValue,
    String unit,
    String action,
    String state,
    Instant openedAt,
    Instant resolvedAt,
    Instant ackedAt) {

  public static final String OPEN = "OPEN";
  public static final String RESOLVED = "RESOLVED";

  public static String dedupKey(String app, String rolloutId, String detector) {
    return "gantry/" + app + "/" + rolloutId + "/" + detector;
  }
}

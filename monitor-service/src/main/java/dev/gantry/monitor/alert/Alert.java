package dev.gantry.monitor.alert;

import dev.gantry.events.analysis.Evidence.GrownStack;
import java.time.Instant;
import java.util.List;

/**
 * One incident: a detector that failed a rollout's canary. Opened by the FAIL, resolved when the
 * rollback is seen on rollout.events.
 *
 * @param dedupKey app, rollout and detector: PagerDuty's {@code dedup_key}, Alertmanager's group
 * @param action what Gantry did about it, e.g. "rollback requested"
 * @param severity {@link #CRITICAL} (a canary failed or was rolled back) or {@link #WARNING} (a
 *     rollout paused and waits for a person)
 * @param stacks the goroutine stacks that grew most, canary against stable; empty when none
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
    Instant ackedAt,
    String severity,
    List<GrownStack> stacks) {

  public static final String OPEN = "OPEN";
  public static final String RESOLVED = "RESOLVED";
  public static final String CRITICAL = "critical";
  public static final String WARNING = "warning";

  /** Detector prefix of an incident opened by an automatic rollback that no FAIL verdict paged. */
  public static final String ROLLBACK = "rollback:";

  /** Detector prefix of an incident opened by a pause that needs a person. */
  public static final String PAUSED = "paused:";

  public Alert {
    stacks = stacks == null ? List.of() : List.copyOf(stacks);
  }

  public static String dedupKey(String app, String rolloutId, String detector) {
    return "gantry/" + app + "/" + rolloutId + "/" + detector;
  }
}

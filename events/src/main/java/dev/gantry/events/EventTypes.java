package dev.gantry.events;

import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.RollbackRequested;
import dev.gantry.events.analysis.SampleRecorded;
import dev.gantry.events.build.BuildCancelRequested;
import dev.gantry.events.build.BuildCancelled;
import dev.gantry.events.build.BuildFailed;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildStarted;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutPaused;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStarted;
import dev.gantry.events.rollout.RolloutStepCompleted;
import dev.gantry.events.rollout.RolloutStepStarted;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of event types. A type name never changes meaning: a breaking change to a payload is
 * a new type (a new {@code .vN} suffix), never an edit of an existing one.
 */
public final class EventTypes {
  public static final String BUILD_REQUESTED = "gantry.build.requested.v1";
  public static final String BUILD_CANCEL_REQUESTED = "gantry.build.cancel-requested.v1";
  public static final String BUILD_STARTED = "gantry.build.started.v1";
  public static final String BUILD_SUCCEEDED = "gantry.build.succeeded.v1";
  public static final String BUILD_FAILED = "gantry.build.failed.v1";
  public static final String BUILD_CANCELLED = "gantry.build.cancelled.v1";
  public static final String ROLLOUT_STARTED = "gantry.rollout.started.v1";
  public static final String ROLLOUT_STEP_STARTED = "gantry.rollout.step-started.v1";
  public static final String ROLLOUT_STEP_COMPLETED = "gantry.rollout.step-completed.v1";
  public static final String ROLLOUT_PAUSED = "gantry.rollout.paused.v1";
  public static final String ROLLOUT_PROMOTED = "gantry.rollout.promoted.v1";
  public static final String ROLLOUT_ABORTED = "gantry.rollout.aborted.v1";
  public static final String ROLLOUT_ROLLED_BACK = "gantry.rollout.rolled-back.v1";
  public static final String ANALYSIS_VERDICT_ISSUED = "gantry.analysis.verdict-issued.v1";
  public static final String ROLLBACK_REQUESTED = "gantry.analysis.rollback-requested.v1";
  public static final String SAMPLE_RECORDED = "gantry.analysis.sample-recorded.v1";

  private static final Map<String, Class<? extends EventData>> BY_TYPE = new LinkedHashMap<>();

  static {
    BY_TYPE.put(BUILD_REQUESTED, BuildRequested.class);
    BY_TYPE.put(BUILD_CANCEL_REQUESTED, BuildCancelRequested.class);
    BY_TYPE.put(BUILD_STARTED, BuildStarted.class);
    BY_TYPE.put(BUILD_SUCCEEDED, BuildSucceeded.class);
    BY_TYPE.put(BUILD_FAILED, BuildFailed.class);
    BY_TYPE.put(BUILD_CANCELLED, BuildCancelled.class);
    BY_TYPE.put(ROLLOUT_STARTED, RolloutStarted.class);
    BY_TYPE.put(ROLLOUT_STEP_STARTED, RolloutStepStarted.class);
    BY_TYPE.put(ROLLOUT_STEP_COMPLETED, RolloutStepCompleted.class);
    BY_TYPE.put(ROLLOUT_PAUSED, RolloutPaused.class);
    BY_TYPE.put(ROLLOUT_PROMOTED, RolloutPromoted.class);
    BY_TYPE.put(ROLLOUT_ABORTED, RolloutAborted.class);
    BY_TYPE.put(ROLLOUT_ROLLED_BACK, RolloutRolledBack.class);
    BY_TYPE.put(ANALYSIS_VERDICT_ISSUED, AnalysisVerdict.class);
    BY_TYPE.put(ROLLBACK_REQUESTED, RollbackRequested.class);
    BY_TYPE.put(SAMPLE_RECORDED, SampleRecorded.class);
  }

  private EventTypes() {}

  public static Map<String, Class<? extends EventData>> all() {
    return Map.copyOf(BY_TYPE);
  }

  public static Optional<Class<? extends EventData>> classOf(String type) {
    return Optional.ofNullable(BY_TYPE.get(type));
  }

  public static String typeOf(Class<?> dataClass) {
    return BY_TYPE.entrySet().stream()
        .filter(e -> e.getValue().equals(dataClass))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not an event type: " + dataClass));
  }
}

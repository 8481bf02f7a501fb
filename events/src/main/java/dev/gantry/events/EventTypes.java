package dev.gantry.events;

import dev.gantry.events.build.BuildCancelRequested;
import dev.gantry.events.build.BuildCancelled;
import dev.gantry.events.build.BuildFailed;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildStarted;
import dev.gantry.events.build.BuildSucceeded;
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

  private static final Map<String, Class<? extends EventData>> BY_TYPE = new LinkedHashMap<>();

  static {
    BY_TYPE.put(BUILD_REQUESTED, BuildRequested.class);
    BY_TYPE.put(BUILD_CANCEL_REQUESTED, BuildCancelRequested.class);
    BY_TYPE.put(BUILD_STARTED, BuildStarted.class);
    BY_TYPE.put(BUILD_SUCCEEDED, BuildSucceeded.class);
    BY_TYPE.put(BUILD_FAILED, BuildFailed.class);
    BY_TYPE.put(BUILD_CANCELLED, BuildCancelled.class);
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

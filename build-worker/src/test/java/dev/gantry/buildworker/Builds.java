package dev.gantry.buildworker;

import dev.gantry.events.EventData;
import dev.gantry.events.EventTypes;
import dev.gantry.testkit.EventRecord;
import dev.gantry.testkit.KafkaEvents;
import java.time.Duration;
import java.util.List;

/** Waiting for what a worker published about one build. */
final class Builds {
  /** A cold build compiles the standard library for each platform: minutes on 2 cores. */
  static final Duration COLD = Duration.ofMinutes(6);

  private Builds() {}

  static <T extends EventData> T await(
      String bootstrap, String buildId, Class<T> type, Duration timeout) {
    String wanted = EventTypes.typeOf(type);
    return KafkaEvents.await(
            bootstrap,
            "build.events",
            r -> buildId.equals(r.key()) && r.type().equals(wanted),
            1,
            timeout)
        .get(0)
        .data(type);
  }

  /** The first terminal event of the build, whichever it is. */
  static EventRecord terminal(String bootstrap, String buildId, Duration timeout) {
    List<String> terminal =
        List.of(EventTypes.BUILD_SUCCEEDED, EventTypes.BUILD_FAILED, EventTypes.BUILD_CANCELLED);
    return KafkaEvents.await(
            bootstrap,
            "build.events",
            r -> buildId.equals(r.key()) && terminal.contains(r.type()),
            1,
            timeout)
        .get(0);
  }

  static List<EventRecord> all(String bootstrap, String buildId) {
    return KafkaEvents.readAll(bootstrap, "build.events").stream()
        .filter(r -> buildId.equals(r.key()))
        .toList();
  }
}

package dev.gantry.buildapi;

import dev.gantry.events.EventTypes;
import dev.gantry.events.Topics;
import dev.gantry.testkit.EventRecord;
import dev.gantry.testkit.KafkaEvents;
import java.time.Duration;
import java.util.List;

/** What build-api published on the real {@code build.requests} topic. */
final class Topic {
  static final Duration WAIT = Duration.ofSeconds(30);

  private Topic() {}

  static EventRecord awaitRequested(String buildId) {
    return KafkaEvents.await(
            Topics.BUILD_REQUESTS,
            r -> r.type().equals(EventTypes.BUILD_REQUESTED) && buildId.equals(r.event().subject()),
            1,
            WAIT)
        .get(0);
  }

  static EventRecord awaitCancelRequested(String buildId) {
    return KafkaEvents.await(
            Topics.BUILD_REQUESTS,
            r ->
                r.type().equals(EventTypes.BUILD_CANCEL_REQUESTED)
                    && buildId.equals(r.event().subject()),
            1,
            WAIT)
        .get(0);
  }

  /** Every event about this build that is on the topic now. */
  static List<EventRecord> about(String buildId) {
    return KafkaEvents.readAll(Topics.BUILD_REQUESTS).stream()
        .filter(r -> buildId.equals(r.event().subject()))
        .toList();
  }

  /**
   * Every event on the topic with this record key. The relay publishes in commit order, so once a
   * later sentinel for the same key is on the topic, anything written before it is there too:
   * counting then proves that nothing more was published.
   */
  static List<EventRecord> withKey(String key) {
    return KafkaEvents.readAll(Topics.BUILD_REQUESTS).stream()
        .filter(r -> key.equals(r.key()))
        .toList();
  }

  /**
   * Pushes a fresh commit to {@code branch} and waits for its BuildRequested. The relay publishes
   * in commit order and a branch is one partition, so once the sentinel is on the topic, anything
   * written for that branch before it is there too: a count taken afterwards is final.
   */
  static void sentinel(Forge.Repo repo, String branch) {
    String id =
        Forge.sendPush(repo, "refs/heads/" + branch, Forge.sha(), "sentinel")
            .then()
            .statusCode(202)
            .extract()
            .path("build.id");
    awaitRequested(id);
  }
}

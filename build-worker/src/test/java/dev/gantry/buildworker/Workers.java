package dev.gantry.buildworker;

import dev.gantry.buildworker.domain.WorkerSettings;
import dev.gantry.buildworker.messaging.WorkerEngine;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.GoFixture;
import dev.gantry.testkit.KafkaEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * More workers on the same shared root as the service under test: bare engines, each with its own
 * local disk, reading their own requests topic so that each test decides which worker gets what.
 */
final class Workers {
  static final Path SHARED = Path.of("target", "test-shared").toAbsolutePath();
  static final Path LOCAL = Path.of("target", "test-local").toAbsolutePath();

  private Workers() {}

  /** Settings for worker {@code id} with an empty local disk, reading {@code topic}. */
  static WorkerSettings settings(String id, String topic, String upstreamProxy) {
    return settings(
        id,
        GantryInfra.kafka().bootstrapServers(),
        topic,
        "workers-" + topic,
        SHARED,
        LOCAL.resolve(id + "-" + UUID.randomUUID()),
        GoFixture.go(),
        upstreamProxy);
  }

  static WorkerSettings settings(
      String id,
      String bootstrap,
      String topic,
      String group,
      Path shared,
      Path local,
      String go,
      String upstreamProxy) {
    return new WorkerSettings(
        id,
        "build-worker",
        bootstrap,
        topic,
        "build.events",
        group,
        2,
        shared,
        local,
        go,
        upstreamProxy,
        "off",
        null,
        Duration.ofMinutes(10),
        Duration.ofSeconds(1),
        Duration.ofSeconds(6),
        true);
  }

  /** A topic of its own, made before any worker subscribes. */
  static String topic(String name) {
    String topic = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    KafkaEvents.createTopic(GantryInfra.kafka().bootstrapServers(), topic, 3);
    return topic;
  }

  static WorkerEngine start(WorkerSettings settings) throws Exception {
    return WorkerEngine.start(settings, new SimpleMeterRegistry());
  }
}

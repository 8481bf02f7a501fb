package dev.gantry.rollout.flow;

import static org.awaitility.Awaitility.await;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.Topics;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.testkit.GantryInfra;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Publishes an input event and waits until rollout-service has consumed that very record: its
 * consumer group's committed offset has passed it. rollout-service commits an offset only after it
 * stored what the event caused, so after this returns the event's effect (or its absence) is what
 * the test may assert, without waiting for something else to happen first.
 */
final class Consumed {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Consumed() {}

  static void build(BuildSucceeded build) {
    RecordMetadata sent =
        publish(Topics.BUILD_EVENTS, build.buildId(), CloudEvent.of("build-worker", build));
    TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
    await("build " + build.buildId() + " at " + partition + "@" + sent.offset() + " consumed")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> committed(partition) > sent.offset());
  }

  private static RecordMetadata publish(String topic, String key, CloudEvent<?> event) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            GantryInfra.kafka().bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      return producer.send(EventCodec.toRecord(topic, key, event)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish " + event.type() + " to " + topic, e);
    }
  }

  private static long committed(TopicPartition partition) throws Exception {
    String group =
        ConfigProvider.getConfig()
            .getOptionalValue("gantry.rollout.group-id", String.class)
            .orElse("rollout-service");
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                GantryInfra.kafka().bootstrapServers()))) {
      OffsetAndMetadata committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS)
              .get(partition);
      return committed == null ? -1 : committed.offset();
    }
  }
}

package dev.gantry.monitor.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.monitor.config.MonitorConfig;
import dev.gantry.monitor.support.AlertReceiver;
import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The same test resources as the other classes of the module: one Quarkus start for all. */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
@QuarkusTestResource(AlertReceiver.class)
@QuarkusTestResource(KubernetesServerTestResource.class)
class RolloutEventsConsumerTest {
  @Inject RolloutEventsConsumer consumer;

  @Test
  void shouldJoinWithAShortSessionAndAStaticInstanceIdWhenConfiguredByDefault() {
    Properties p = consumer.settings();

    assertThat(p.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo(10_000);
    assertThat(p.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)).isEqualTo(3_333);
    assertThat((String) p.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
        .isEqualTo(RolloutEventsConsumer.defaultInstanceId())
        .startsWith("monitor-service-")
        .hasSizeGreaterThan("monitor-service-".length());
  }

  @Test
  void shouldHandTheCrashedConsumersPartitionsToItsRestartBeforeTheOldSessionExpires()
      throws Exception {
    // a session far longer than the wait below: only static membership hands the partition over
    // in time, since the crashed member never leaves the group
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "takeover-" + id;
    String bootstrap = GantryInfra.kafka().bootstrapServers();
    MonitorConfig.Kafka kafka =
        kafka("takeover-" + id, "monitor-test-" + id, Duration.ofSeconds(60));
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      producer.send(new ProducerRecord<>(topic, "k", bytes("before"))).get();

      KafkaConsumer<String, byte[]> crashed = consumer(bootstrap, kafka);
      crashed.subscribe(List.of(topic));
      List<String> firstRead = new CopyOnWriteArrayList<>();
      await("the first instance reads")
          .atMost(Duration.ofSeconds(30))
          .until(() -> readOnce(crashed, firstRead).contains("before"));
      crashed.commitSync();
      // as after SIGKILL: the member stays in the group until its session expires
      crashed.close(
          CloseOptions.groupMembershipOperation(
              CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));

      producer.send(new ProducerRecord<>(topic, "k", bytes("after"))).get();
      try (KafkaConsumer<String, byte[]> restarted = consumer(bootstrap, kafka)) {
        restarted.subscribe(List.of(topic));
        List<String> read = new CopyOnWriteArrayList<>();
        await("the restarted instance reads what came after the crash")
            .atMost(Duration.ofSeconds(20))
            .until(() -> readOnce(restarted, read).contains("after"));
        assertThat(read).containsExactly("after");
      }
    }
  }

  private static List<String> readOnce(KafkaConsumer<String, byte[]> c, List<String> into) {
    c.poll(Duration.ofMillis(200))
        .forEach(r -> into.add(new String(r.value(), StandardCharsets.UTF_8)));
    return into;
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrap, MonitorConfig.Kafka k) {
    return new KafkaConsumer<>(
        RolloutEventsConsumer.properties(bootstrap, k),
        new StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer());
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static MonitorConfig.Kafka kafka(String group, String instance, Duration session) {
    return new MonitorConfig.Kafka() {
      @Override
      public String groupId() {
        return group;
      }

      @Override
      public Duration sessionTimeout() {
        return session;
      }

      @Override
      public Optional<String> groupInstanceId() {
        return Optional.of(instance);
      }

      @Override
      public String rolloutTopic() {
        return "unused";
      }

      @Override
      public String verdictTopic() {
        return "unused";
      }

      @Override
      public String sampleTopic() {
        return "unused";
      }
    };
  }
}

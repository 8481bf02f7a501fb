package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.Golden;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildSucceeded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaEventsTest {

  private final String bootstrap = GantryInfra.kafka().bootstrapServers();

  @Test
  void shouldReadBackKeyAndEveryHeaderWhenEventPublishedOnRealBroker() {
    String topic = uniqueTopic();
    BuildRequested data = Golden.data(BuildRequested.class);
    CloudEvent<BuildRequested> event = CloudEvent.of("build-api", data);
    String key = "git.example/acme/shop@main";

    KafkaEvents.publish(bootstrap, topic, key, event);
    List<EventRecord> records = KafkaEvents.readAll(bootstrap, topic);

    assertThat(records).hasSize(1);
    EventRecord record = records.get(0);
    assertThat(record.topic()).isEqualTo(topic);
    assertThat(record.key()).isEqualTo(key);
    assertThat(record.event()).isEqualTo(event);
    assertThat(record.data(BuildRequested.class)).isEqualTo(data);
    assertThat(rawHeaders(topic))
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_id", event.id())
        .containsEntry("ce_source", "build-api")
        .containsEntry("ce_type", "gantry.build.requested.v1")
        .containsEntry("ce_subject", data.buildId())
        .containsEntry("ce_time", event.time().toString())
        .containsEntry("content-type", "application/json");
  }

  @Test
  void shouldReturnNothingAndNotCreateTopicWhenTopicDoesNotExist() throws Exception {
    String topic = uniqueTopic();

    assertThat(KafkaEvents.readAll(bootstrap, topic)).isEmpty();

    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      assertThat(admin.listTopics().names().get()).doesNotContain(topic);
    }
  }

  @Test
  void shouldReadEveryPartitionInOffsetOrderWhenTopicHasSeveral() {
    String topic = uniqueTopic();
    KafkaEvents.createTopic(bootstrap, topic, 3);
    List<String> keys = List.of("a", "b", "c", "d", "e", "f");
    for (String key : keys) {
      KafkaEvents.publish(bootstrap, topic, key, succeeded());
    }

    List<EventRecord> records = KafkaEvents.readAll(bootstrap, topic);

    assertThat(records).extracting(EventRecord::key).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(records)
        .isSortedAccordingTo(
            (x, y) ->
                x.partition() != y.partition()
                    ? Integer.compare(x.partition(), y.partition())
                    : Long.compare(x.offset(), y.offset()));
  }

  @Test
  void shouldSkipRecordsThatAreNotKnownEventsWhenReading() {
    String topic = uniqueTopic();
    sendRaw(topic, "gantry.build.teleported.v1", "{}");
    sendRaw(topic, null, "not even json");
    CloudEvent<BuildSucceeded> known = succeeded();
    KafkaEvents.publish(bootstrap, topic, "k", known);

    assertThat(KafkaEvents.readAll(bootstrap, topic))
        .extracting(EventRecord::event)
        .containsExactly(known);
  }

  @Test
  void shouldReturnOnlyMatchingEventsWhenEnoughHaveArrived() {
    String topic = uniqueTopic();
    CloudEvent<BuildSucceeded> wanted = succeeded();
    KafkaEvents.publish(bootstrap, topic, "other", succeeded());
    KafkaEvents.publish(bootstrap, topic, "wanted", wanted);

    List<EventRecord> matching =
        KafkaEvents.await(
            bootstrap, topic, r -> r.key().equals("wanted"), 1, Duration.ofSeconds(10));

    assertThat(matching).extracting(EventRecord::event).containsExactly(wanted);
  }

  @Test
  void shouldFailListingWhatItSawWhenTooFewEventsMatchInTime() {
    String topic = uniqueTopic();
    KafkaEvents.publish(bootstrap, topic, "seen-key", succeeded());

    assertThatThrownBy(
            () ->
                KafkaEvents.await(
                    bootstrap, topic, r -> r.key().equals("never"), 1, Duration.ofMillis(500)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("found 0")
        .hasMessageContaining("key=seen-key")
        .hasMessageContaining("gantry.build.succeeded.v1");
  }

  @Test
  void shouldKeepExistingTopicWhenCreatedTwice() throws Exception {
    String topic = uniqueTopic();

    KafkaEvents.createTopic(bootstrap, topic, 2);
    KafkaEvents.createTopic(bootstrap, topic, 5);

    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
          .hasSize(2);
    }
  }

  @Test
  void shouldUseSharedBrokerWhenNoBootstrapGiven() {
    String topic = uniqueTopic();
    CloudEvent<BuildSucceeded> event = succeeded();

    KafkaEvents.publish(topic, "k", event);

    assertThat(KafkaEvents.await(topic, r -> true, 1, Duration.ofSeconds(10)))
        .extracting(EventRecord::event)
        .containsExactly(event);
  }

  private static CloudEvent<BuildSucceeded> succeeded() {
    return CloudEvent.of("build-worker", Golden.data(BuildSucceeded.class));
  }

  private static String uniqueTopic() {
    return "test." + UUID.randomUUID();
  }

  private void sendRaw(String topic, String type, String value) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(topic, "raw", value.getBytes(StandardCharsets.UTF_8));
      if (type != null) {
        record.headers().add(EventCodec.H_TYPE, type.getBytes(StandardCharsets.UTF_8));
      }
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, String> rawHeaders(String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<String, String> headers = new HashMap<>();
      while (headers.isEmpty()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
          }
        }
      }
      return headers;
    }
  }
}

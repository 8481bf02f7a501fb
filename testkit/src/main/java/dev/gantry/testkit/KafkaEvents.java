package dev.gantry.testkit;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.MalformedEventException;
import dev.gantry.events.UnknownEventTypeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads and writes CloudEvents on real topics the way the services do (binary mode, String keys,
 * JSON values), so a test sees exactly what a consumer would. The overloads without a bootstrap
 * address use the shared broker of {@link GantryInfra}.
 */
public final class KafkaEvents {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(100);

  private KafkaEvents() {}

  /**
   * Every event on {@code topic}, all partitions, from the beginning up to the end offsets at the
   * time of the call, ordered by partition then offset. Empty if the topic does not exist (reading
   * never creates it). Records that are not CloudEvents of a known type are skipped, as a consumer
   * would skip them.
   */
  public static List<EventRecord> readAll(String bootstrap, String topic) {
    try (Reader reader = new Reader(bootstrap, topic)) {
      return reader.readToEnd();
    }
  }

  public static List<EventRecord> readAll(String topic) {
    return readAll(shared(), topic);
  }

  /**
   * Waits until at least {@code count} events on {@code topic} match, and returns all the matching
   * ones.
   *
   * @throws AssertionError after {@code timeout}, listing every event it saw
   */
  public static List<EventRecord> await(
      String bootstrap, String topic, Predicate<EventRecord> match, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Reader reader = new Reader(bootstrap, topic)) {
      while (true) {
        List<EventRecord> matching = reader.readToEnd().stream().filter(match).toList();
        if (matching.size() >= count) {
          return matching;
        }
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError(
              "expected at least "
                  + count
                  + " matching event(s) on "
                  + topic
                  + " within "
                  + timeout
                  + ", found "
                  + matching.size()
                  + "; the topic holds "
                  + describe(reader.seen()));
        }
        reader.waitForMore();
      }
    }
  }

  public static List<EventRecord> await(
      String topic, Predicate<EventRecord> match, int count, Duration timeout) {
    return await(shared(), topic, match, count, timeout);
  }

  /** Sends one event and waits until every in-sync replica has it. */
  public static void publish(String bootstrap, String topic, String key, CloudEvent<?> event) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis() / 3);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(EventCodec.toRecord(topic, key, event))
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot publish " + event.type() + " to " + topic, e);
    }
  }

  public static void publish(String topic, String key, CloudEvent<?> event) {
    publish(shared(), topic, key, event);
  }

  /** Creates {@code topic} with replication factor 1; an existing topic is left as it is. */
  public static void createTopic(String bootstrap, String topic, int partitions) {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) CALL_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(config)) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + topic, e);
    }
  }

  public static void createTopic(String topic, int partitions) {
    createTopic(shared(), topic, partitions);
  }

  private static String shared() {
    return GantryInfra.kafka().bootstrapServers();
  }

  private static String describe(List<EventRecord> seen) {
    if (seen.isEmpty()) {
      return "no events";
    }
    return seen.size()
        + " event(s):"
        + seen.stream().map(r -> "\n  " + r).collect(Collectors.joining());
  }

  /**
   * One assign-mode consumer (no group, no committed offsets) that remembers what it has read, so
   * that waiting reads only what is new.
   */
  private static final class Reader implements AutoCloseable {
    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<TopicPartition, List<EventRecord>> seen = new HashMap<>();

    Reader(String bootstrap, String topic) {
      this.topic = topic;
      Properties config = new Properties();
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      // an aborted transaction's records are not events that happened
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
      this.consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads every partition up to the end offsets of this moment. */
    List<EventRecord> readToEnd() {
      assignNewPartitions();
      if (seen.isEmpty()) {
        return List.of();
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(seen.keySet());
      long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
      while (!reached(end)) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("cannot read " + topic + " up to offsets " + end);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          decode(record);
        }
      }
      return seen();
    }

    List<EventRecord> seen() {
      return seen.values().stream()
          .flatMap(List::stream)
          .sorted(
              Comparator.comparingInt(EventRecord::partition)
                  .thenComparingLong(EventRecord::offset))
          .toList();
    }

    /** Blocks for one poll interval, in the consumer's poll once the topic exists. */
    void waitForMore() {
      if (seen.isEmpty()) {
        try {
          Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + topic, e);
        }
      } else {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          decode(record);
        }
      }
    }

    private void assignNewPartitions() {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic);
      if (partitions == null || partitions.size() == seen.size()) {
        return;
      }
      List<TopicPartition> all =
          partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      List<TopicPartition> added = all.stream().filter(tp -> !seen.containsKey(tp)).toList();
      consumer.assign(all);
      consumer.seekToBeginning(added);
      added.forEach(tp -> seen.put(tp, new ArrayList<>()));
    }

    private boolean reached(Map<TopicPartition, Long> end) {
      return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void decode(ConsumerRecord<String, byte[]> record) {
      CloudEvent<?> event;
      try {
        event = EventCodec.decode(record);
      } catch (UnknownEventTypeException | MalformedEventException e) {
        return;
      }
      seen.get(new TopicPartition(record.topic(), record.partition()))
          .add(
              new EventRecord(
                  record.topic(), record.partition(), record.offset(), record.key(), event));
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}

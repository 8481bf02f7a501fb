package dev.gantry.buildworker.messaging;

import dev.gantry.events.EventCodec;
import dev.gantry.events.EventTypes;
import dev.gantry.events.build.BuildCancelRequested;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Every worker reads every cancel on {@code build.requests}, outside the consumer group: a cancel
 * travels on the same partition as its request, which the worker that runs the build may have
 * paused (it is full), and which may belong to another worker. Starting an hour back, it also knows
 * the recent cancels of requests still waiting in the topic, so a queued build that was cancelled
 * is skipped when its turn comes.
 */
final class CancelWatcher implements Runnable {
  private static final Logger LOG = Logger.getLogger(CancelWatcher.class);
  static final Duration LOOKBACK = Duration.ofHours(1);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final BiConsumer<String, String> onCancel;
  private volatile boolean stopping;

  CancelWatcher(
      String bootstrap, String topic, String clientId, BiConsumer<String, String> onCancel) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-cancels");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumer = new KafkaConsumer<>(p);
    this.topic = topic;
    this.onCancel = onCancel;
  }

  @Override
  public void run() {
    try {
      int assigned = 0;
      long lastCheck = 0;
      while (!stopping) {
        if (System.currentTimeMillis() - lastCheck > 30_000 || assigned == 0) {
          assigned = assign(assigned);
          lastCheck = System.currentTimeMillis();
          if (assigned == 0) {
            Thread.sleep(500);
            continue;
          }
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          handle(r);
        }
      }
    } catch (WakeupException e) {
      // stopping
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.errorf(e, "the cancel watcher stopped");
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** (Re)assigns every partition of the topic; a partition added later is read from its start. */
  private int assign(int before) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
    if (infos == null || infos.size() == before) {
      return infos == null ? 0 : infos.size();
    }
    List<TopicPartition> tps =
        infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    consumer.assign(tps);
    Map<TopicPartition, Long> since = new HashMap<>();
    long from = System.currentTimeMillis() - LOOKBACK.toMillis();
    tps.forEach(tp -> since.put(tp, from));
    Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
    for (TopicPartition tp : tps) {
      OffsetAndTimestamp o = offsets.get(tp);
      if (o != null) {
        consumer.seek(tp, o.offset());
      } else {
        consumer.seekToEnd(List.of(tp));
      }
    }
    return tps.size();
  }

  private void handle(ConsumerRecord<String, byte[]> r) {
    Header type = r.headers().lastHeader(EventCodec.H_TYPE);
    if (type == null
        || !EventTypes.BUILD_CANCEL_REQUESTED.equals(
            new String(type.value(), StandardCharsets.UTF_8))) {
      return;
    }
    try {
      BuildCancelRequested c = (BuildCancelRequested) EventCodec.decode(r).data();
      onCancel.accept(c.buildId(), reasonOf(c));
    } catch (RuntimeException e) {
      LOG.warnf(
          "skipping a malformed cancel at %s-%d@%d: %s",
          r.topic(), r.partition(), r.offset(), e.getMessage());
    }
  }

  static String reasonOf(BuildCancelRequested c) {
    if (c.supersededBy() != null) {
      return "superseded by build " + c.supersededBy();
    }
    return c.reason() == null || c.reason().isBlank() ? "cancel requested" : c.reason();
  }

  void stop() {
    stopping = true;
    consumer.wakeup();
  }
}

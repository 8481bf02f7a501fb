package dev.gantry.rollout.messaging;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.MalformedEventException;
import dev.gantry.events.UnknownEventTypeException;
import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.RollbackRequested;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.rollout.config.RolloutConfig;
import dev.gantry.rollout.engine.RolloutEngine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads build.events and analysis.verdicts and hands each event to the engine. An offset is
 * committed only after the engine has stored what the event caused; when it could not (the database
 * is away), the consumer goes back to that record and tries again, so nothing is skipped. The
 * engine is idempotent, so a record seen twice after a crash changes nothing the second time.
 */
public final class InputConsumer implements Runnable {
  private static final Logger LOG = Logger.getLogger(InputConsumer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<String> topics;
  private final RolloutEngine engine;
  private final AtomicBoolean running = new AtomicBoolean(true);

  public InputConsumer(String bootstrap, RolloutConfig config, RolloutEngine engine) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.rollout().groupId());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.source() + "-input");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    int session = (int) config.rollout().sessionTimeout().toMillis();
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, session / 3));
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId(config.rollout()));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumer = new KafkaConsumer<>(p);
    this.topics = List.of(config.topics().buildEvents(), config.topics().analysisVerdicts());
    this.engine = engine;
  }

  /** The configured static member id, or one per host: the same again after a restart. */
  static String instanceId(RolloutConfig.Rollout rollout) {
    return rollout.instanceId().orElseGet(() -> rollout.groupId() + "-" + hostname());
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
    }
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(topics);
      while (running.get()) {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (!handle(record)) {
            // back to the failed record (and after it, in its partition); the rest of the batch's
            // partitions are committed up to where they got
            consumer.seek(tp, record.offset());
            commit(done);
            done.clear();
            sleep(RETRY);
            break;
          }
          done.put(tp, new OffsetAndMetadata(record.offset() + 1));
        }
        commit(done);
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  public void stop() {
    running.set(false);
    consumer.wakeup();
  }

  /** False when the event must be tried again. */
  private boolean handle(ConsumerRecord<String, byte[]> record) {
    CloudEvent<?> event;
    try {
      event = EventCodec.decode(record);
    } catch (UnknownEventTypeException e) {
      return true; // another service's event this version does not know
    } catch (MalformedEventException e) {
      LOG.warnf(
          "skipping malformed record %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), e.getMessage());
      return true;
    }
    try {
      if (event.data() instanceof BuildSucceeded build) {
        engine.onBuildSucceeded(build);
      } else if (event.data() instanceof AnalysisVerdict verdict) {
        engine.onVerdict(event.id(), verdict);
      } else if (event.data() instanceof RollbackRequested rollback) {
        engine.onRollbackRequested(event.id(), rollback);
      }
      return true;
    } catch (RuntimeException e) {
      if (isPermanent(e)) {
        LOG.warnf("event %s (%s) cannot be acted on: %s", event.id(), event.type(), e.getMessage());
        return true;
      }
      LOG.errorf(e, "event %s (%s) failed; retrying", event.id(), event.type());
      return false;
    }
  }

  /** A rollout or app that does not exist stays missing however often the event is retried. */
  private static boolean isPermanent(RuntimeException e) {
    return e instanceof dev.gantry.rollout.persistence.RolloutNotFoundException
        || e instanceof dev.gantry.rollout.persistence.AppNotFoundException
        || e instanceof IllegalArgumentException;
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.gantry.monitor.messaging;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.EventTypes;
import dev.gantry.events.analysis.SampleRecorded;
import dev.gantry.monitor.config.MonitorConfig;
import dev.gantry.monitor.scrape.Sample;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Announces each stored sample on {@code analysis.samples}, so that an open console page redraws
 * within a second. A notice, not a record: sent after the sample is committed, without waiting for
 * the broker and without an outbox. A lost one delays a live view until the next sample; it never
 * holds up a scrape or a verdict, so a broker that is away is said once in the log, not per sample.
 */
@ApplicationScoped
public class SampleNotices {
  private static final Logger LOG = Logger.getLogger(SampleNotices.class);
  private static final Duration MAX_BLOCK = Duration.ofMillis(500);

  @Inject MonitorConfig config;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private volatile KafkaProducer<String, byte[]> producer;
  private final AtomicBoolean failing = new AtomicBoolean();

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      synchronized (this) {
        if (producer == null) {
          Properties p = new Properties();
          p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
          p.put(ProducerConfig.ACKS_CONFIG, "1");
          p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
          p.put(ProducerConfig.CLIENT_ID_CONFIG, "monitor-service-samples");
          // a broker that is away must not hold the scrape thread: metadata waits at most this
          p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
          p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
          p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
          p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
          producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
      }
    }
    return producer;
  }

  /** Announces a sample that is stored (its transaction committed). Never throws. */
  public void stored(String rolloutId, String app, int step, Sample sample) {
    SampleRecorded data =
        new SampleRecorded(
            rolloutId,
            app,
            step,
            sample.track(),
            sample.seq(),
            sample.takenAt(),
            sample.missingReason() != null);
    CloudEvent<SampleRecorded> event =
        new CloudEvent<>(
            UUID.randomUUID().toString(),
            VerdictPublisher.SOURCE,
            EventTypes.SAMPLE_RECORDED,
            data.subject(),
            Instant.now(),
            data);
    try {
      producer()
          .send(EventCodec.toRecord(config.kafka().sampleTopic(), event), (meta, e) -> outcome(e));
    } catch (RuntimeException e) {
      outcome(e);
    }
  }

  private void outcome(Exception e) {
    if (e == null) {
      if (failing.compareAndSet(true, false)) {
        LOG.info("sample notices are delivered again");
      }
    } else if (failing.compareAndSet(false, true)) {
      LOG.warnf(
          "sample notices are not delivered (live views lag until they are): %s", e.toString());
    }
  }

  void stop(@Observes ShutdownEvent e) {
    if (producer != null) {
      producer.close(Duration.ofSeconds(2));
    }
  }
}

package dev.gantry.rollout.messaging;

import dev.gantry.events.EventCodec;
import dev.gantry.rollout.config.RolloutConfig;
import dev.gantry.rollout.persistence.Outbox;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Publishes outbox entries on rollout.events, keyed by app, and waits for the broker. */
@ApplicationScoped
public class EventPublisher {
  private static final Logger LOG = Logger.getLogger(EventPublisher.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final String source;

  @Inject
  public EventPublisher(
      RolloutConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.source() + "-events");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(p);
    this.topic = config.topics().rolloutEvents();
    this.source = config.source();
  }

  /**
   * Publishes the entry with {@code payload} as its data (the stored one, or one with the step's
   * targets filled in).
   *
   * @return false when the broker did not take it in time; the entry stays in the outbox
   */
  public boolean publish(Outbox.Entry entry, byte[] payload, Duration timeout) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            topic,
            null,
            entry.app(),
            payload,
            EventCodec.headers(
                entry.eventId().toString(), source, entry.type(), entry.app(), entry.createdAt()));
    try {
      producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      LOG.warnf("could not publish %s of %s yet: %s", entry.type(), entry.app(), e.toString());
      return false;
    }
  }

  void close(@Observes ShutdownEvent shutdown) {
    producer.close(Duration.ofSeconds(5));
  }
}

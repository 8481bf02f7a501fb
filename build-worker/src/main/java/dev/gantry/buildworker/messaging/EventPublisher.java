package dev.gantry.buildworker.messaging;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.EventData;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes build.events, keyed by build id, and waits until the broker has each one. */
public final class EventPublisher implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final String source;

  public EventPublisher(String bootstrap, String topic, String source, String clientId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-events");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(p);
    this.topic = topic;
    this.source = source;
  }

  /**
   * Publishes and waits for the broker's acknowledgement, retrying for as long as the broker is
   * away: a terminal event that is not on the topic must not let the request's offset move.
   */
  public void publish(EventData data) throws InterruptedException {
    CloudEvent<?> event = CloudEvent.of(source, data);
    while (true) {
      try {
        producer.send(EventCodec.toRecord(topic, event)).get(130, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
        org.jboss.logging.Logger.getLogger(EventPublisher.class)
            .warnf(
                "could not publish %s for %s, retrying: %s",
                event.type(), data.subject(), e.toString());
        Thread.sleep(1_000);
      }
    }
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(10));
  }
}

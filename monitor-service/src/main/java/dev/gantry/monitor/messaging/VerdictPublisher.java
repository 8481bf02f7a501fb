package dev.gantry.monitor.messaging;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.EventData;
import dev.gantry.events.EventTypes;
import dev.gantry.monitor.config.MonitorConfig;
import dev.gantry.monitor.persistence.StoredVerdict;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends stored verdicts to {@code analysis.verdicts}, keyed by app, with the stored row's id as the
 * CloudEvent id: a verdict sent twice (a crash between send and mark) is one event to an idempotent
 * consumer.
 */
@ApplicationScoped
public class VerdictPublisher {
  private static final Logger LOG = Logger.getLogger(VerdictPublisher.class);
  public static final String SOURCE = "monitor-service";
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

  @Inject MonitorConfig config;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private volatile KafkaProducer<String, byte[]> producer;

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      synchronized (this) {
        if (producer == null) {
          Properties p = new Properties();
          p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
          p.put(ProducerConfig.ACKS_CONFIG, "all");
          p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
          p.put(ProducerConfig.CLIENT_ID_CONFIG, "monitor-service-verdicts");
          p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
          p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
          p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() / 3);
          p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
          producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
      }
    }
    return producer;
  }

  /** Sends one stored verdict event and waits for the broker's acknowledgement. */
  public void publish(StoredVerdict v) throws InterruptedException, PublishFailed {
    Class<? extends EventData> type =
        EventTypes.classOf(v.eventType())
            .orElseThrow(() -> new IllegalStateException("unknown type " + v.eventType()));
    EventData data = EventCodec.decodeData(v.payload().getBytes(), type);
    CloudEvent<EventData> event =
        new CloudEvent<>(v.id(), SOURCE, v.eventType(), data.subject(), v.issuedAt(), data);
    try {
      producer()
          .send(EventCodec.toRecord(config.kafka().verdictTopic(), event))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw new PublishFailed(v.eventType() + " " + v.id() + ": " + e);
    }
  }

  /** The broker did not take the event; it stays unpublished and is sent again later. */
  public static final class PublishFailed extends Exception {
    PublishFailed(String message) {
      super(message);
    }
  }

  /**
   * Connects and fetches the verdict topic's metadata at startup, in the background, so the first
   * verdict — a rollback, maybe — does not pay for it (about half a second).
   */
  void warm(@Observes StartupEvent e) {
    Thread t =
        new Thread(
            () -> {
              try {
                producer().partitionsFor(config.kafka().verdictTopic());
              } catch (RuntimeException away) {
                // the broker is away: the first send connects then, as it did before
                LOG.debugf("verdict producer not warmed: %s", away.getMessage());
              }
            },
            "monitor-verdicts-warm");
    t.setDaemon(true);
    t.start();
  }

  void stop(@Observes ShutdownEvent e) {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}

package dev.gantry.monitor.messaging;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.MalformedEventException;
import dev.gantry.events.UnknownEventTypeException;
import dev.gantry.events.rollout.Release;
import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutPaused;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStarted;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.monitor.alert.Alert;
import dev.gantry.monitor.alert.Alerter;
import dev.gantry.monitor.config.MonitorConfig;
import dev.gantry.monitor.domain.Analyzer;
import dev.gantry.monitor.persistence.Jdbc;
import dev.gantry.monitor.persistence.MonitorStore;
import dev.gantry.monitor.persistence.StepRow;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Learns targets from {@code rollout.events}: a step starts an analysis, the end of a rollout stops
 * it. Each event's effect and its id are written in one transaction, and its offset is committed
 * only after that: a redelivered event is recognised and skipped; a database failure leaves the
 * offset where it was and the event is read again.
 */
@ApplicationScoped
public class RolloutEventsConsumer {
  private static final Logger LOG = Logger.getLogger(RolloutEventsConsumer.class);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  @Inject MonitorConfig config;
  @Inject MonitorStore store;
  @Inject Analyzer analyzer;
  @Inject Alerter alerter;

  /**
   * Rollback reasons that paged already (the FAIL verdict's incident) or that a person asked for;
   * any other rollback was automatic and nobody has been told yet.
   */
  static final Set<String> PAGED_OR_ASKED =
      Set.of("AnalysisFailed", "RollbackRequested", "ManualRollback");

  /** Pauses that wait for a person: nobody asked for them, and the rollout will not move on. */
  static final Set<String> NEEDS_A_PERSON = Set.of("AnalysisInconclusive", "StepDeadlineExceeded");

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private KafkaConsumer<String, byte[]> consumer;
  private Properties settings;
  private Thread thread;
  private volatile boolean stopping;
  private volatile Instant lastPoll = Instant.now();

  void start(@Observes StartupEvent e) {
    analyzer.resume(store.running());
    settings = properties(bootstrap, config.kafka());
    consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
    thread = new Thread(this::loop, "monitor-rollout-events");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The consumer's settings. A restarted monitor must resume judging in seconds: a short session,
   * and static membership so that its partitions come back to it without a rebalance.
   */
  static Properties properties(String bootstrap, MonitorConfig.Kafka kafka) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupId());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "monitor-service-rollouts");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int session = Math.toIntExact(kafka.sessionTimeout().toMillis());
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(1, session / 3));
    p.put(
        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
        kafka.groupInstanceId().orElseGet(RolloutEventsConsumer::defaultInstanceId));
    return p;
  }

  /** {@code monitor-service-<host name>}: the same after a restart on the same host. */
  static String defaultInstanceId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "localhost";
      }
    }
    return "monitor-service-" + host;
  }

  /** What the running consumer was built with. */
  Properties settings() {
    return settings;
  }

  void stop(@Observes ShutdownEvent e) {
    stopping = true;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The loop polled within the last minute. */
  public boolean live() {
    return thread != null
        && thread.isAlive()
        && Duration.between(lastPoll, Instant.now()).toSeconds() < 60;
  }

  private void loop() {
    consumer.subscribe(List.of(config.kafka().rolloutTopic()));
    try {
      while (!stopping) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (!handle(r)) {
            consumer.seek(tp, r.offset());
            Thread.sleep(RETRY_PAUSE.toMillis());
            break;
          }
          consumer.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
        }
        lastPoll = Instant.now();
      }
    } catch (WakeupException e) {
      // stopping
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.errorf(e, "the rollout.events loop stopped; the service is no longer live");
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Applies one record; false when it must be read again (the database was unavailable). */
  boolean handle(ConsumerRecord<String, byte[]> r) {
    CloudEvent<?> event;
    try {
      event = EventCodec.decode(r);
    } catch (UnknownEventTypeException | MalformedEventException e) {
      LOG.debugf("skipping %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
      return true;
    }
    try {
      if (event.data() instanceof RolloutStarted s) {
        alerter.rolloutStarted(s.app(), s.rolloutId());
      } else if (event.data() instanceof RolloutStepStarted s) {
        // a redelivered step leaves the running analysis alone; a new one replaces it
        Optional<StepRow> step = store.stepStarted(event.id(), s, Instant.now());
        step.ifPresent(analyzer::start);
        // a pause's page ends when the rollout moves on
        alerter.movedOn(s.rolloutId());
      } else if (event.data() instanceof RolloutPromoted p) {
        ended(event.id(), p.rolloutId(), "promoted");
        alerter.movedOn(p.rolloutId());
      } else if (event.data() instanceof RolloutAborted a) {
        backToStable(event.id(), a.rolloutId(), "aborted: " + a.reason());
      } else if (event.data() instanceof RolloutRolledBack b) {
        backToStable(event.id(), b.rolloutId(), "rolled back: " + b.reason());
        if (!PAGED_OR_ASKED.contains(b.reason())) {
          alerter.rolloutIncident(
              Alert.ROLLBACK,
              b.reason(),
              b.app(),
              b.rolloutId(),
              b.step(),
              version(b.canary()),
              version(b.stable()),
              b.message(),
              "rolled back automatically: the stable version serves all traffic");
        }
      } else if (event.data() instanceof RolloutPaused p && NEEDS_A_PERSON.contains(p.reason())) {
        alerter.rolloutIncident(
            Alert.PAUSED,
            p.reason(),
            p.app(),
            p.rolloutId(),
            p.step(),
            version(p.canary()),
            version(p.stable()),
            p.message(),
            "paused at " + p.weight() + " %: resume, promote or abort it");
      }
      return true;
    } catch (Jdbc.StoreException e) {
      LOG.warnf("cannot apply %s %s yet: %s", event.type(), event.id(), e.getMessage());
      return false;
    }
  }

  private static String version(Release r) {
    return r == null ? null : r.version();
  }

  private void ended(String eventId, String rolloutId, String why) {
    store.rolloutEnded(eventId, rolloutId, why);
    analyzer.stop(rolloutId);
  }

  /** The stable version serves all traffic again: the rollout's incidents are over. */
  private void backToStable(String eventId, String rolloutId, String why) {
    ended(eventId, rolloutId, why);
    alerter.rolledBack(rolloutId);
  }
}

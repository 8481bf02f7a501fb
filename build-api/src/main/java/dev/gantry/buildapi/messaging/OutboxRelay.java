package dev.gantry.buildapi.messaging;

import dev.gantry.buildapi.config.BuildApiConfig;
import dev.gantry.events.EventCodec;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in commit order and deletes each row only after the broker has
 * acknowledged it (idempotent producer, acks=all). Rows are claimed with {@code FOR UPDATE SKIP
 * LOCKED}, so several build-api instances can relay side by side. While the broker is down rows
 * simply wait; nothing is dropped, and a restart picks them up again.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  @Inject BuildApiConfig config;
  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  private final Semaphore wake = new Semaphore(0);
  private volatile boolean running;
  private Thread thread;
  private KafkaProducer<String, byte[]> producer;

  void onStart(@Observes StartupEvent ignored) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, config.source() + "-outbox");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    running = true;
    thread = new Thread(this::loop, "outbox-relay");
    thread.setDaemon(true);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent ignored) {
    running = false;
    wake.release();
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** Called after a transaction that wrote outbox rows has committed. */
  public void wakeUp() {
    wake.release();
  }

  private void loop() {
    Duration backoff = Duration.ZERO;
    while (running) {
      try {
        if (!backoff.isZero()) {
          wake.tryAcquire(backoff.toMillis(), TimeUnit.MILLISECONDS);
        }
        int published = relayBatch();
        backoff = Duration.ZERO;
        if (published < config.outbox().batchSize()) {
          wake.tryAcquire(config.outbox().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        backoff = nextBackoff(backoff);
        LOG.warnf(
            "outbox relay could not publish (%s); rows stay queued, retrying in %d ms",
            e.getMessage(), backoff.toMillis());
      }
    }
  }

  private static Duration nextBackoff(Duration current) {
    Duration next = current.isZero() ? Duration.ofMillis(200) : current.multipliedBy(2);
    return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
  }

  /** Publishes one batch; returns how many rows were published and removed. */
  int relayBatch() throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<Row> rows = claim(c);
        if (rows.isEmpty()) {
          c.commit();
          return 0;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(rows.size());
        for (Row row : rows) {
          sent.add(producer.send(row.toRecord(config.source())));
        }
        producer.flush();
        // Only the acknowledged prefix is deleted: a later row of the same key must never be
        // considered done while an earlier one is still to be retried.
        int acked = 0;
        Exception failure = null;
        for (Future<RecordMetadata> f : sent) {
          try {
            f.get(30, TimeUnit.SECONDS);
            acked++;
          } catch (Exception e) {
            failure = e;
            break;
          }
        }
        delete(c, rows.subList(0, acked));
        c.commit();
        if (failure != null) {
          throw failure;
        }
        return acked;
      } catch (Exception e) {
        safeRollback(c);
        throw e;
      }
    }
  }

  private List<Row> claim(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select seq, event_id, topic, record_key, type, subject, payload, created_at"
                + " from outbox order by seq limit ? for update skip locked")) {
      ps.setInt(1, config.outbox().batchSize());
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  rs.getLong(1),
                  rs.getObject(2).toString(),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getBytes(7),
                  rs.getTimestamp(8)));
        }
      }
      return rows;
    }
  }

  private static void delete(Connection c, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("delete from outbox where seq = ?")) {
      for (Row row : rows) {
        ps.setLong(1, row.seq());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void safeRollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed", e);
    }
  }

  private record Row(
      long seq,
      String eventId,
      String topic,
      String key,
      String type,
      String subject,
      byte[] payload,
      Timestamp createdAt) {

    ProducerRecord<String, byte[]> toRecord(String source) {
      return new ProducerRecord<>(
          topic,
          null,
          key,
          payload,
          EventCodec.headers(eventId, source, type, subject, createdAt.toInstant()));
    }
  }
}

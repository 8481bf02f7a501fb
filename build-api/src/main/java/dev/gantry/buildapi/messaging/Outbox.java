package dev.gantry.buildapi.messaging;

import dev.gantry.buildapi.config.BuildApiConfig;
import dev.gantry.buildapi.persistence.OutboxEntity;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.EventData;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes events into the outbox table inside the caller's transaction. They reach Kafka only if
 * that transaction commits, and then for certain: the relay retries until the broker acknowledges.
 */
@ApplicationScoped
public class Outbox {

  @Inject BuildApiConfig config;
  @Inject OutboxRelay relay;
  @Inject TransactionSynchronizationRegistry transactions;

  @Transactional(Transactional.TxType.MANDATORY)
  public CloudEvent<?> enqueue(String topic, String key, EventData data) {
    CloudEvent<?> event = CloudEvent.of(config.source(), data);
    OutboxEntity row = new OutboxEntity();
    row.eventId = UUID.fromString(event.id());
    row.topic = topic;
    row.recordKey = key;
    row.type = event.type();
    row.subject = event.subject();
    row.payload = EventCodec.encodeData(data);
    row.createdAt = Instant.now();
    Panache.getEntityManager().persist(row);
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              relay.wakeUp();
            }
          }
        });
    return event;
  }
}

package dev.gantry.buildapi.messaging;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.MalformedEventException;
import dev.gantry.events.UnknownEventTypeException;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * What every consumer does with a record it cannot use: a type this version does not know is
 * skipped quietly (contracts grow by new types), an unreadable record is skipped with a warning.
 * Neither may stop the consumer: a poison record would otherwise hold its partition forever.
 */
final class EventRecords {
  private EventRecords() {}

  static Optional<CloudEvent<?>> decode(ConsumerRecord<String, byte[]> record, Logger log) {
    try {
      return Optional.of(EventCodec.decode(record));
    } catch (UnknownEventTypeException e) {
      log.debugf(
          "skipping %s at %s-%d@%d", e.type(), record.topic(), record.partition(), record.offset());
    } catch (MalformedEventException e) {
      log.warnf(
          "skipping unreadable record at %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), e.getMessage());
    }
    return Optional.empty();
  }
}

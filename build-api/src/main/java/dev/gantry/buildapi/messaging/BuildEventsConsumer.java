package dev.gantry.buildapi.messaging;

import dev.gantry.buildapi.domain.BuildService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows the workers' reports on {@code build.events}. The offset is committed only after {@link
 * BuildService#apply} has committed its transaction; a crash in between replays the event, which
 * the idempotent transitions absorb.
 */
@ApplicationScoped
public class BuildEventsConsumer {
  public static final String CHANNEL = "build-events";
  private static final Logger LOG = Logger.getLogger(BuildEventsConsumer.class);

  @Inject BuildService builds;

  @Incoming(CHANNEL)
  @Blocking
  public void consume(ConsumerRecord<String, byte[]> record) {
    EventRecords.decode(record, LOG)
        .ifPresent(event -> UntilStored.apply(() -> builds.apply(event), record.topic(), LOG));
  }
}

package dev.gantry.buildapi.messaging;

import dev.gantry.buildapi.domain.DeploymentService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows rollout-service's reports on {@code rollout.events} into each build's trail. As for build
 * events, the offset is committed only after {@link DeploymentService#apply} has committed; a
 * replay after a crash is absorbed by its monotonic rule.
 */
@ApplicationScoped
public class RolloutEventsConsumer {
  public static final String CHANNEL = "rollout-events";
  private static final Logger LOG = Logger.getLogger(RolloutEventsConsumer.class);

  @Inject DeploymentService deployments;

  @Incoming(CHANNEL)
  @Blocking
  public void consume(ConsumerRecord<String, byte[]> record) {
    EventRecords.decode(record, LOG)
        .ifPresent(event -> UntilStored.apply(() -> deployments.apply(event), record.topic(), LOG));
  }
}

package dev.gantry.buildapi.messaging;

import dev.gantry.buildapi.domain.VerdictService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads monitor-service's verdicts on {@code analysis.verdicts}, so that a build's trail says why
 * its rollout went on or back. Offsets are committed after {@link VerdictService#apply} commits.
 */
@ApplicationScoped
public class VerdictsConsumer {
  public static final String CHANNEL = "analysis-verdicts";
  private static final Logger LOG = Logger.getLogger(VerdictsConsumer.class);

  @Inject VerdictService verdicts;

  @Incoming(CHANNEL)
  @Blocking
  public void consume(ConsumerRecord<String, byte[]> record) {
    EventRecords.decode(record, LOG)
        .ifPresent(event -> UntilStored.apply(() -> verdicts.apply(event), record.topic(), LOG));
  }
}

package dev.gantry.monitor.ops;

import dev.gantry.monitor.domain.Analyzer;
import dev.gantry.monitor.messaging.RolloutEventsConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the rollout.events loop polls; reports how many rollouts are being scraped. */
@Liveness
@ApplicationScoped
public class MonitorHealth implements HealthCheck {
  @Inject RolloutEventsConsumer consumer;
  @Inject Analyzer analyzer;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("rollout-events")
        .status(consumer.live())
        .withData("analysing", analyzer.active())
        .build();
  }
}

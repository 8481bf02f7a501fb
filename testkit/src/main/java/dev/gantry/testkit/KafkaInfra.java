package dev.gantry.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * {@link GantryInfra} for a service without a database: only the shared Kafka broker, started on
 * first use and kept until the JVM exits. Give every test class of a module the same resource so
 * that Quarkus starts the application once.
 */
public class KafkaInfra implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    return Map.of("kafka.bootstrap.servers", GantryInfra.kafka().bootstrapServers());
  }

  /** Keeps the broker for the next test class; it stops with the JVM. */
  @Override
  public void stop() {}
}

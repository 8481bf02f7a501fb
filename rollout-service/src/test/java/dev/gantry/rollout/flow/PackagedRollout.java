package dev.gantry.rollout.flow;

import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.Postgres;
import dev.gantry.testkit.ServiceProcess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged rollout-service as a process of its own ({@link ServiceProcess}), on the shared test
 * broker and database, so that a test can kill it as an operator's host or the OOM killer would,
 * and start it again.
 */
final class PackagedRollout {
  static final String OPERATOR_TOKEN = "it-operator-token-0123456789";
  private static final Path LOGS = Path.of("target/it-logs");

  private PackagedRollout() {}

  /** Starts the service and returns once it is ready; {@code label} names its log. */
  static ServiceProcess start(String label, Path sharedRoot, Path stateDir) {
    Path jar =
        Path.of(
            System.getProperty("gantry.service.jar", ServiceProcess.jarOf(Path.of("")).toString()));
    Postgres pg = GantryInfra.postgres();
    Map<String, String> properties = new HashMap<>();
    properties.put("kafka.bootstrap.servers", GantryInfra.kafka().bootstrapServers());
    properties.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
    properties.put("quarkus.datasource.username", pg.username());
    properties.put("quarkus.datasource.password", pg.password());
    properties.put("gantry.shared.root", sharedRoot.toString());
    properties.put("gantry.router.local.state-dir", stateDir.toString());
    properties.put("gantry.auth.operator-token", OPERATOR_TOKEN);
    return new ServiceProcess(
            "rollout-service-" + label, jar, Releases.freePort(), properties, LOGS)
        .start();
  }
}

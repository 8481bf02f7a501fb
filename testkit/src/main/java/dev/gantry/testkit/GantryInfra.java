package dev.gantry.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * One Kafka broker and one PostgreSQL per test JVM, for every test class of a module.
 *
 * <p>Register it the same way on every {@code @QuarkusTest} class of a module
 * ({@code @QuarkusTestResource(value = GantryInfra.class, restrictToAnnotatedClass = false)} or
 * {@code @WithTestResource(GantryInfra.class)} with identical arguments): Quarkus restarts the
 * application for each distinct set of test resources. The servers stop when the JVM exits, not in
 * {@link #stop()}, because Quarkus calls that between test classes.
 */
public class GantryInfra implements QuarkusTestResourceLifecycleManager {
  private static final Object KAFKA_LOCK = new Object();
  private static final Object POSTGRES_LOCK = new Object();
  private static final Path ROOT = createRoot();
  private static volatile KafkaBroker kafka;
  private static volatile Postgres postgres;

  /**
   * The broker and the database log hundreds of INFO lines while they start, into the test's log
   * (Quarkus routes slf4j and JUL to one log manager). Held here so that the levels are not
   * collected with the loggers; an application's own {@code quarkus.log.category} settings, applied
   * when it starts, still win.
   */
  private static final List<java.util.logging.Logger> QUIETED =
      Stream.of("kafka", "org.apache.kafka", "io.zonky.test")
          .map(java.util.logging.Logger::getLogger)
          .peek(logger -> logger.setLevel(Level.WARNING))
          .toList();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(GantryInfra::shutdown, "gantry-infra-stop"));
  }

  @Override
  public Map<String, String> start() {
    // PostgreSQL starts in about a second, Kafka in about three: overlap them
    CompletableFuture<Postgres> db = CompletableFuture.supplyAsync(GantryInfra::postgres);
    KafkaBroker broker = kafka();
    Postgres pg = db.join();
    return Map.of(
        "kafka.bootstrap.servers", broker.bootstrapServers(),
        "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
        "quarkus.datasource.username", pg.username(),
        "quarkus.datasource.password", pg.password());
  }

  /** Keeps the servers for the next test class; they stop with the JVM. */
  @Override
  public void stop() {}

  /** The shared broker, started on first use. */
  public static KafkaBroker kafka() {
    KafkaBroker broker = kafka;
    if (broker == null) {
      synchronized (KAFKA_LOCK) {
        broker = kafka;
        if (broker == null) {
          broker = KafkaBroker.start(ROOT.resolve("kafka"), 0);
          kafka = broker;
        }
      }
    }
    return broker;
  }

  /** The shared database server, started on first use. */
  public static Postgres postgres() {
    Postgres pg = postgres;
    if (pg == null) {
      synchronized (POSTGRES_LOCK) {
        pg = postgres;
        if (pg == null) {
          pg = Postgres.start(ROOT.resolve("postgres"), 0);
          postgres = pg;
        }
      }
    }
    return pg;
  }

  private static Path createRoot() {
    try {
      return Files.createTempDirectory("gantry-infra-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void shutdown() {
    synchronized (KAFKA_LOCK) {
      if (kafka != null) {
        kafka.close();
      }
    }
    synchronized (POSTGRES_LOCK) {
      if (postgres != null) {
        postgres.close();
      }
    }
    deleteRecursively(ROOT);
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is not worth failing a test run for
    }
  }
}

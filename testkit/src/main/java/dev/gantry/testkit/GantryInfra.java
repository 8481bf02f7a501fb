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
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * One Kafka broker and one PostgreSQL per test JVM, for every test class of a module.
 *
 * <p>Register it the same way on every {@code @QuarkusTest} class of a module
 * ({@code @QuarkusTestResource(value = GantryInfra.class, restrictToAnnotatedClass = false)} or
 * {@code @WithTestResource(GantryInfra.class)} with identical arguments): Quarkus restarts the
 * application for each distinct set of test resources. The servers stop when the JVM exits, not in
 * {@link #stop()}, because Quarkus calls that between test classes. A {@code @TestProfile} gets its
 * own class loader, hence its own pair of servers: avoid profiles where a test can do without.
 */
public class GantryInfra implements QuarkusTestResourceLifecycleManager {
  private static final Path ROOT = createRoot();
  private static final Shared<KafkaBroker> KAFKA =
      new Shared<>(() -> KafkaBroker.start(ROOT.resolve("kafka"), 0));
  private static final Shared<Postgres> POSTGRES =
      new Shared<>(() -> Postgres.start(ROOT.resolve("postgres"), 0));

  /**
   * The broker and the database log hundreds of INFO lines while they start. Where JUL is the JBoss
   * log manager (the surefire setting {@code java.util.logging.manager} that Quarkus asks for),
   * these levels reach slf4j too. Held here so that the levels are not collected with the loggers;
   * an application's own {@code quarkus.log.category} settings, applied when it starts, still win.
   */
  private static final List<java.util.logging.Logger> QUIETED =
      Stream.of("kafka", "org.apache.kafka", "io.zonky.test")
          .map(GantryInfra::warningsOnly)
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
    return KAFKA.get();
  }

  /**
   * Stops the shared broker, runs {@code whileDown}, then starts it again on the same port and data
   * directory, so that a test can show what a service does while Kafka is unreachable and after it
   * returns. Clients reconnect by themselves; the broker is back even if {@code whileDown} fails.
   */
  public static void withKafkaStopped(Runnable whileDown) {
    synchronized (KAFKA) {
      KafkaBroker old = KAFKA.get();
      String bootstrap = old.bootstrapServers();
      int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
      old.close();
      try {
        whileDown.run();
      } finally {
        KAFKA.set(KafkaBroker.start(ROOT.resolve("kafka"), port));
      }
    }
  }

  /** The shared database server, started on first use. */
  public static Postgres postgres() {
    return POSTGRES.get();
  }

  /**
   * Stops the shared database server (a fast shutdown: open connections are cut), runs {@code
   * whileDown}, then starts it again on the same port and data directory, so that a test can show
   * what a service does while PostgreSQL is away and after it returns. The server is back even if
   * {@code whileDown} fails.
   */
  public static void withPostgresStopped(Runnable whileDown) {
    synchronized (POSTGRES) {
      Postgres old = POSTGRES.get();
      int port = old.port();
      old.close();
      try {
        whileDown.run();
      } finally {
        POSTGRES.set(Postgres.start(ROOT.resolve("postgres"), port));
      }
    }
  }

  private static java.util.logging.Logger warningsOnly(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(Level.WARNING);
    return logger;
  }

  private static Path createRoot() {
    try {
      return Files.createTempDirectory("gantry-infra-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void shutdown() {
    KAFKA.close();
    POSTGRES.close();
    deleteRecursively(ROOT);
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is not worth failing a test run for
    }
  }

  /** A server started once, by whichever thread asks first, and closed if it was started. */
  private static final class Shared<T extends AutoCloseable> {
    private final Supplier<T> starter;
    private T instance;

    Shared(Supplier<T> starter) {
      this.starter = starter;
    }

    synchronized T get() {
      if (instance == null) {
        instance = starter.get();
      }
      return instance;
    }

    synchronized void set(T replacement) {
      instance = replacement;
    }

    synchronized void close() {
      if (instance != null) {
        try {
          instance.close();
        } catch (Exception e) {
          System.err.println("gantry testkit: could not stop " + instance + ": " + e);
        }
      }
    }
  }
}

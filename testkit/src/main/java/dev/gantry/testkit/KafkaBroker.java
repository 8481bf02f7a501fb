package dev.gantry.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in this JVM: one KRaft node that is both broker and controller, on loopback.
 * The log directory is formatted on first use and reused as it is afterwards, so records survive a
 * restart on the same directory.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KafkaBroker(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts a broker whose data lives in {@code dataDir}.
   *
   * @param port the client port on 127.0.0.1; 0 picks a free one
   */
  public static KafkaBroker start(Path dataDir, int port) {
    long started = System.nanoTime();
    int brokerPort = Ports.requireFree(port, "kafka");
    int controllerPort = Ports.free();
    Properties config = config(dataDir.toAbsolutePath(), brokerPort, controllerPort);
    format(dataDir, config);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
    KafkaBroker broker = new KafkaBroker(server, Ports.HOST + ":" + brokerPort);
    try {
      server.startup();
      broker.awaitReady();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    LOG.info(
        "kafka broker on {} started in {} ms (data in {})",
        broker.bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        dataDir);
    return broker;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.shutdown();
      server.awaitShutdown();
    }
  }

  /** {@code --port 9092 --dir <path>}: runs until SIGTERM, for {@code ./gantry up}. */
  public static void main(String[] args) {
    Standalone.run(
        "kafka", args, 9092, a -> start(a.dir(), a.port()), KafkaBroker::bootstrapServers);
  }

  private static Properties config(Path dataDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", String.valueOf(NODE_ID)),
            // a static quorum: the voter's address is config, not data, so the controller port
            // may change between restarts on the same directory
            Map.entry(
                "controller.quorum.voters", NODE_ID + "@" + Ports.HOST + ":" + controllerPort),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry(
                "listeners",
                "PLAINTEXT://"
                    + Ports.HOST
                    + ":"
                    + brokerPort
                    + ",CONTROLLER://"
                    + Ports.HOST
                    + ":"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + brokerPort),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", dataDir.resolve("logs").toString()),
            Map.entry("num.partitions", "3"),
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("offsets.topic.replication.factor", "1"),
            // 50 partitions by default: creating them is most of the first consumer group's wait
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "5"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0")));
    return p;
  }

  /**
   * {@code kafka-storage format --ignore-formatted}: a directory that has data keeps it, and its
   * cluster id, which the formatter insists on being given again.
   */
  private static void format(Path dataDir, Properties config) {
    Path configFile = dataDir.resolve("server.properties");
    Path meta = Path.of(config.getProperty("log.dirs")).resolve("meta.properties");
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exit;
    try {
      Files.createDirectories(dataDir);
      try (OutputStream out = Files.newOutputStream(configFile)) {
        config.store(out, "written by dev.gantry.testkit.KafkaBroker on every start");
      }
      String clusterId = Uuid.randomUuid().toString();
      if (Files.exists(meta)) {
        Properties existing = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
          existing.load(in);
        }
        clusterId = existing.getProperty("cluster.id", clusterId);
      }
      exit =
          StorageTool.execute(
              new String[] {
                "format",
                "--cluster-id",
                clusterId,
                "--config",
                configFile.toString(),
                "--ignore-formatted"
              },
              new PrintStream(output, true, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare kafka data dir " + dataDir, e);
    }
    String message = output.toString(StandardCharsets.UTF_8).strip();
    if (exit != 0) {
      throw new IllegalStateException("formatting " + dataDir + " failed: " + message);
    }
    LOG.debug("kafka storage: {}", message);
  }

  /** Startup returns before the broker is unfenced on some paths: wait until it serves metadata. */
  private void awaitReady() {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) READY_TIMEOUT.toMillis(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000);
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for kafka", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("kafka on " + bootstrapServers + " did not become ready", e);
    }
  }
}

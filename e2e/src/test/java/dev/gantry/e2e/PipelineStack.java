package dev.gantry.e2e;

import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.GoFixture;
import dev.gantry.testkit.Postgres;
import dev.gantry.testkit.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole pipeline as the embedded default runs it, for one test JVM: the testkit's real Kafka
 * broker and PostgreSQL, the four packaged services as processes of their own on free loopback
 * ports, sharing one folder as the shared root, and the console that reads them.
 */
final class PipelineStack implements AutoCloseable {
  static final String OPERATOR_TOKEN = "e2e-operator-token-0123456789";
  static final String VIEWER_TOKEN = "e2e-viewer-token-0123456789";

  final Path root;
  final Path sharedRoot;
  final int alertPort;
  final ServiceProcess buildApi;
  final ServiceProcess buildWorker;
  final ServiceProcess rollout;
  final ServiceProcess monitor;
  final ServiceProcess console;

  PipelineStack(Path repoRoot, Path dir) {
    this.root = repoRoot;
    try {
      this.sharedRoot = Files.createDirectories(dir.resolve("shared"));
      Files.createDirectories(dir.resolve("worker"));
      Files.createDirectories(dir.resolve("children"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.alertPort = freePort();
    Path logs = repoRoot.resolve("e2e/target/e2e-logs");
    Postgres pg = GantryInfra.postgres();
    String kafka = GantryInfra.kafka().bootstrapServers();

    Map<String, String> common = new HashMap<>();
    common.put("kafka.bootstrap.servers", kafka);
    common.put("gantry.shared.root", sharedRoot.toString());
    Map<String, String> withDb = new HashMap<>(common);
    withDb.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
    withDb.put("quarkus.datasource.username", pg.username());
    withDb.put("quarkus.datasource.password", pg.password());
    withDb.put("gantry.auth.operator-token", OPERATOR_TOKEN);
    withDb.put("gantry.auth.viewer-token", VIEWER_TOKEN);

    Map<String, String> api = new HashMap<>(withDb);
    api.put("gantry.local-mode", "true");
    buildApi = service("build-api", freePort(), api, logs);

    Map<String, String> worker = new HashMap<>(common);
    worker.put("gantry.local-mode", "true");
    worker.put("gantry.worker.local-dir", dir.resolve("worker").toString());
    worker.put("gantry.worker.id", "e2e-worker-1");
    worker.put("gantry.worker.go.binary", GoFixture.go());
    // the sample needs no module: nothing may be fetched from outside
    worker.put("gantry.worker.go.upstream-proxy", "off");
    worker.put("gantry.worker.go.sumdb", "off");
    buildWorker = service("build-worker", freePort(), worker, logs);

    Map<String, String> ro = new HashMap<>(withDb);
    ro.put("gantry.router.local.state-dir", dir.resolve("children").toString());
    rollout = service("rollout-service", freePort(), ro, logs);

    Map<String, String> mon = new HashMap<>(withDb);
    int monitorPort = freePort();
    int consolePort = freePort();
    String consoleUrl = "http://127.0.0.1:" + consolePort;
    // the demo's cadence: a step is judged in about twelve seconds instead of a minute
    mon.put("gantry.monitor.interval", "1s");
    // the on-call receiver, as ./gantry up sets it when no channel of the user's is set
    mon.put("gantry.monitor.alerts.default.webhook-url", "http://127.0.0.1:" + alertPort + "/");
    mon.put("gantry.monitor.alerts.console-url", consoleUrl);
    monitor = service("monitor-service", monitorPort, mon, logs);

    Map<String, String> con = new HashMap<>();
    con.put("kafka.bootstrap.servers", kafka);
    con.put("gantry.auth.operator-token", OPERATOR_TOKEN);
    con.put("gantry.auth.viewer-token", VIEWER_TOKEN);
    con.put("gantry.console.build-api-url", buildApi.url());
    con.put("gantry.console.rollout-url", rollout.url());
    con.put("gantry.console.monitor-url", monitor.url());
    con.put("gantry.console.public-url", consoleUrl);
    console = service("console", consolePort, con, logs);
  }

  /**
   * Starts every service; the worker first, since its first start builds its Go tools. The
   * processes are stopped when this JVM exits, even if a start fails half way.
   */
  PipelineStack start() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "e2e-stack-stop"));
    // a new cluster's first worker builds cmd/go: half a minute on two idle cores, minutes on busy
    // ones
    CompletableFuture<ServiceProcess> worker =
        CompletableFuture.supplyAsync(() -> buildWorker.start(Duration.ofMinutes(12)));
    for (ServiceProcess s : List.of(buildApi, rollout, monitor, console)) {
      s.start();
    }
    worker.join();
    return this;
  }

  Endpoints endpoints() {
    return new Endpoints(
        buildApi.url(),
        rollout.url(),
        monitor.url(),
        console.url(),
        OPERATOR_TOKEN,
        VIEWER_TOKEN,
        sharedRoot,
        alertPort);
  }

  String kafka() {
    return GantryInfra.kafka().bootstrapServers();
  }

  @Override
  public void close() {
    for (ServiceProcess s : List.of(console, monitor, rollout, buildWorker, buildApi)) {
      s.close();
    }
  }

  private ServiceProcess service(
      String module, int port, Map<String, String> properties, Path logDir) {
    return new ServiceProcess(
        module, ServiceProcess.jarOf(root.resolve(module)), port, properties, logDir);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

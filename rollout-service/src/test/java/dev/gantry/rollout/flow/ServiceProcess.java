package dev.gantry.rollout.flow;

import static org.awaitility.Awaitility.await;

import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged rollout-service ({@code target/quarkus-app/quarkus-run.jar}) as a process of its
 * own, on the shared test broker and database, so that a test can kill it as an operator's host or
 * the OOM killer would, and start it again.
 */
final class ServiceProcess implements AutoCloseable {
  static final String OPERATOR_TOKEN = "it-operator-token-0123456789";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final int port;
  private final Path log;

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the service and returns once it is ready. */
  static ServiceProcess start(String name, Path sharedRoot, Path stateDir) {
    Path jar =
        Path.of(System.getProperty("gantry.service.jar", "target/quarkus-app/quarkus-run.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: run the package phase first (mvn verify)");
    }
    Postgres pg = GantryInfra.postgres();
    int port = Releases.freePort();
    Path log = Path.of("target/it-logs", name + ".log").toAbsolutePath();
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.add("-Xmx256m");
    argv.add("-Dquarkus.http.port=" + port);
    argv.add("-Dkafka.bootstrap.servers=" + GantryInfra.kafka().bootstrapServers());
    argv.add("-Dquarkus.datasource.jdbc.url=" + pg.jdbcUrl());
    argv.add("-Dquarkus.datasource.username=" + pg.username());
    argv.add("-Dquarkus.datasource.password=" + pg.password());
    argv.add("-Dgantry.shared.root=" + sharedRoot);
    argv.add("-Dgantry.router.local.state-dir=" + stateDir);
    argv.add("-Dgantry.auth.operator-token=" + OPERATOR_TOKEN);
    argv.add("-jar");
    argv.add(jar.toAbsolutePath().toString());
    try {
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      ServiceProcess service = new ServiceProcess(process, port, log);
      service.awaitReady();
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or stopped. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("rollout-service did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void awaitReady() {
    try {
      await("rollout-service ready on port " + port)
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(this::ready);
    } catch (ConditionTimeoutException e) {
      close();
      throw new IllegalStateException(
          "rollout-service did not become ready; its log: " + tail(), e);
    }
  }

  private boolean ready() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "rollout-service exited with " + process.exitValue() + ": " + tail());
    }
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}

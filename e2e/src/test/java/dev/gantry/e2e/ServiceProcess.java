package dev.gantry.e2e;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One packaged service ({@code <module>/target/quarkus-app/quarkus-run.jar}) as its own process.
 */
final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path jar;
  private final List<String> properties;
  private final int port;
  private final Path log;
  private Process process;

  ServiceProcess(
      String name, Path repoRoot, int port, Map<String, String> properties, Path logDir) {
    this.name = name;
    this.jar = repoRoot.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    this.port = port;
    this.log = logDir.resolve(name + ".log");
    List<String> props = new ArrayList<>();
    props.add("-Dquarkus.http.host=127.0.0.1");
    props.add("-Dquarkus.http.port=" + port);
    properties.forEach((k, v) -> props.add("-D" + k + "=" + v));
    this.properties = List.copyOf(props);
  }

  long pid() {
    return process == null ? -1 : process.pid();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Starts the service and returns once {@code /q/health/ready} answers 200. */
  ServiceProcess start() {
    return start(Duration.ofMinutes(4));
  }

  ServiceProcess start(Duration readyWithin) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: the package phase builds it (mvn verify)");
    }
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.add("-Xmx256m");
    argv.addAll(properties);
    argv.add("-jar");
    argv.add(jar.toString());
    try {
      Files.createDirectories(log.getParent());
      process =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady(readyWithin);
    return this;
  }

  /** SIGKILL, as the OOM killer or a lost host would: no shutdown hook runs. */
  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  /**
   * SIGKILL to the service and every process it started, as a container's or a systemd unit's kill
   * does.
   *
   * @return the command names of the service's processes that were killed with it
   */
  List<String> killWithItsProcesses() {
    List<ProcessHandle> children = process.descendants().toList();
    List<String> names =
        children.stream()
            .map(p -> p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?"))
            .toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    waitForExit();
    return names;
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitForExit();
    }
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(Duration timeout) {
    try {
      Awaitility.await(name + " ready on " + url())
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .until(this::ready);
    } catch (ConditionTimeoutException e) {
      close();
      throw new IllegalStateException(
          name + " was not ready after " + timeout + "; its log:\n" + tail(), e);
    }
  }

  /** Whether {@code /q/health/ready} answers 200 now: false while a dependency is away. */
  boolean answersReady() {
    try {
      return ready();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Prometheus text of {@code /q/metrics}, or empty when it does not answer. */
  String metrics() {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url() + "/q/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private boolean ready() throws InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + "; its log:\n" + tail());
    }
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }
}

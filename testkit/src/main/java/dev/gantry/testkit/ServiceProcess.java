package dev.gantry.testkit;

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

/**
 * One packaged Quarkus service ({@code <module>/target/quarkus-app/quarkus-run.jar}) as a process
 * of its own on 127.0.0.1, so that a test can kill it as a lost host or the OOM killer would, and
 * start it again on the same port. Its output is appended to {@code <logDir>/<name>.log} across
 * starts; failures quote the end of that log.
 */
public final class ServiceProcess implements AutoCloseable {
  /** How long {@link #start()} waits for readiness: a first start on two busy cores is slow. */
  public static final Duration READY_WITHIN = Duration.ofMinutes(4);

  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  private static final long EXIT_WAIT_SECONDS = 40;
  private static final int TAIL_LINES = 60;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

  private final String name;
  private final Path jar;
  private final int port;
  private final List<String> properties;
  private final Path log;
  private Process process;

  /**
   * @param name what messages call it, and the name of its log file
   * @param jar the service's {@code quarkus-run.jar}, see {@link #jarOf(Path)}
   * @param properties system properties for the service ({@code -Dkey=value}); host and port are
   *     set here
   */
  public ServiceProcess(
      String name, Path jar, int port, Map<String, String> properties, Path logDir) {
    this.name = name;
    this.jar = jar.toAbsolutePath();
    this.port = port;
    this.log = logDir.toAbsolutePath().resolve(name + ".log");
    List<String> props = new ArrayList<>();
    props.add("-Dquarkus.http.host=" + Ports.HOST);
    props.add("-Dquarkus.http.port=" + port);
    properties.forEach((k, v) -> props.add("-D" + k + "=" + v));
    this.properties = List.copyOf(props);
  }

  /** Where the package phase puts the runnable jar of the module in {@code moduleDir}. */
  public static Path jarOf(Path moduleDir) {
    return moduleDir.resolve("target/quarkus-app/quarkus-run.jar");
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://" + Ports.HOST + ":" + port;
  }

  /** The process id of the current start, or -1 before the first. */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Starts the service and returns once {@code /q/health/ready} answers 200. */
  public ServiceProcess start() {
    return start(READY_WITHIN);
  }

  public ServiceProcess start(Duration readyWithin) {
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
      throw new UncheckedIOException(name + " did not start", e);
    }
    awaitReady(readyWithin);
    return this;
  }

  /** SIGKILL, as the OOM killer or a lost host would: no shutdown hook runs, nothing is flushed. */
  public void kill() {
    process.destroyForcibly();
    if (!waitForExit()) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die");
    }
  }

  /**
   * SIGKILL to the service and every process it started, as a container's or a systemd unit's kill
   * does.
   *
   * @return the command names of the service's processes that were killed with it
   */
  public List<String> killWithItsProcesses() {
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

  /**
   * SIGTERM, as {@code ./gantry down} does, and waits for the exit; SIGKILL if it takes too long.
   */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!waitForExit()) {
        process.destroyForcibly();
        waitForExit();
      }
    }
  }

  /** Whether {@code /q/health/ready} answers 200 now: false while a dependency is away. */
  public boolean answersReady() {
    try {
      return get("/q/health/ready", HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Prometheus text of {@code /q/metrics}, or empty when it does not answer. */
  public String metrics() {
    try {
      return get("/q/metrics", HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of the service's log. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> body)
      throws IOException {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url() + path)).timeout(REQUEST_TIMEOUT).build(), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + "; its log:\n" + tail());
      }
      if (answersReady()) {
        return;
      }
      if (Thread.currentThread().isInterrupted()) {
        close();
        throw new IllegalStateException("interrupted while " + name + " was starting");
      }
      if (System.nanoTime() - deadline > 0) {
        close();
        throw new IllegalStateException(
            name + " was not ready after " + timeout + "; its log:\n" + tail());
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean waitForExit() {
    try {
      return process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}

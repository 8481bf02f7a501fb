package dev.gantry.monitor.support;

import static org.awaitility.Awaitility.await;

import dev.gantry.testkit.GoSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * testkit's Go sample running as a real process on a loopback port, with its fault switches set,
 * and an optional steady trickle of requests so that it has traffic to misbehave on.
 */
public final class RunningSample implements AutoCloseable {
  private static final Map<String, Path> BINARIES = new ConcurrentHashMap<>();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final String version;
  private final AtomicBoolean loading = new AtomicBoolean();
  private final AtomicLong sent = new AtomicLong();
  private Thread load;

  private RunningSample(Process process, int port, String version) {
    this.process = process;
    this.port = port;
    this.version = version;
  }

  /** A healthy sample. */
  public static RunningSample start(String version) {
    return start(version, Map.of());
  }

  /**
   * @param faults e.g. {@code SAMPLE_LEAK_PER_REQUEST=5}, {@code SAMPLE_ERROR_EVERY=2}
   */
  public static RunningSample start(String version, Map<String, String> faults) {
    return start(BINARIES.computeIfAbsent(version, RunningSample::build), version, faults);
  }

  /** Any Go service built by a test that listens on {@code 127.0.0.1:$PORT} with a /healthz. */
  public static RunningSample start(Path binary, String version, Map<String, String> env) {
    int port = freePort();
    ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().putAll(env);
    try {
      RunningSample sample = new RunningSample(pb.start(), port, version);
      await("sample " + version + " on port " + port)
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(() -> sample.get("/healthz").statusCode() == 200);
      return sample;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path build(String version) {
    try {
      return GoSample.build(Files.createTempDirectory("monitor-sample-" + version), version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String version() {
    return version;
  }

  public HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Sends {@code n} requests to {@code /} now. */
  public void hit(int n) {
    for (int i = 0; i < n; i++) {
      try {
        get("/");
        sent.incrementAndGet();
      } catch (IOException e) {
        // a stopped sample: the test's assertions say what that means
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Keeps sending about {@code perSecond} requests a second to {@code /} until closed. */
  public RunningSample withTraffic(int perSecond) {
    loading.set(true);
    long pauseNanos = 1_000_000_000L / perSecond;
    load =
        new Thread(
            () -> {
              while (loading.get()) {
                hit(1);
                java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
              }
            },
            "traffic-" + version + "-" + port);
    load.setDaemon(true);
    load.start();
    return this;
  }

  public long sent() {
    return sent.get();
  }

  @Override
  public void close() {
    loading.set(false);
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}

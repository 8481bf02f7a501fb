package dev.gantry.rollout.flow;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.Topics;
import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.RollbackRequested;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.build.Artifact;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.build.CacheStats;
import dev.gantry.testkit.GoSample;
import dev.gantry.testkit.KafkaEvents;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test data for rollouts driven by events: real Go binaries of the sample service placed in the
 * artifact store as build-worker would place them, the BuildSucceeded that announces them, and the
 * verdicts monitor-service would send.
 */
final class Releases {
  static final Path SHARED_ROOT = Path.of("target/test-shared").toAbsolutePath();
  private static final Path BUILDS = Path.of("target/test-binaries").toAbsolutePath();
  private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Releases() {}

  /** Puts a binary answering {@code version} at the artifact path of {@code app} and returns it. */
  static String install(String app, String version) {
    return install(
        app, version, BUILT.computeIfAbsent(version, v -> GoSample.build(BUILDS.resolve(v), v)));
  }

  private static String install(String app, String version, Path binary) {
    String artifact = "artifacts/" + app + "/" + version + "/linux_amd64/" + app;
    try {
      Path target = SHARED_ROOT.resolve(artifact);
      Files.createDirectories(target.getParent());
      Files.copy(binary, target, StandardCopyOption.REPLACE_EXISTING);
      return artifact;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The BuildSucceeded build-worker publishes for {@code app}'s repository on branch main. */
  static BuildSucceeded built(String app, String version) {
    return built(app, version, Instant.now());
  }

  /** As {@link #built(String, String)}, by a build that finished at {@code finishedAt}. */
  static BuildSucceeded built(String app, String version, Instant finishedAt) {
    return succeeded(app, version, install(app, version), finishedAt);
  }

  /** A build of {@code app} whose binary never becomes healthy. */
  static BuildSucceeded builtBroken(String app, String version, BrokenSample.Mode mode) {
    Path binary =
        BUILT.computeIfAbsent(
            version + "-" + mode,
            v -> BrokenSample.build(BUILDS.resolve("broken-" + v), version, mode));
    return succeeded(app, version, install(app, version, binary), Instant.now());
  }

  /**
   * A build of {@code app} that serves at once but whose health check passes only {@code
   * healthyAfter} after it started: a canary that takes its time.
   */
  static BuildSucceeded builtSlow(String app, String version, Duration healthyAfter) {
    Path binary =
        BUILT.computeIfAbsent(
            version + "-slow-" + healthyAfter.toMillis(),
            v ->
                BrokenSample.build(
                    BUILDS.resolve("slow-" + v), version, BrokenSample.Mode.SLOW, healthyAfter));
    return succeeded(app, version, install(app, version, binary), Instant.now());
  }

  private static BuildSucceeded succeeded(
      String app, String version, String artifact, Instant finishedAt) {
    Instant now = finishedAt;
    return new BuildSucceeded(
        "build-" + app + "-" + version + "-" + UUID.randomUUID(),
        repo(app),
        "main",
        app,
        commit(version),
        version,
        "go version go1.23.5 linux/amd64",
        List.of(
            new Artifact(artifact, "0".repeat(64), 1, "linux", "amd64", app),
            new Artifact(
                artifact.replace("linux_amd64", "linux_arm64"),
                "1".repeat(64),
                1,
                "linux",
                "arm64",
                app)),
        Map.of("build", 1L),
        new CacheStats(0, 0, 0L, 0L, 0L, 0L),
        now.minusSeconds(1),
        now);
  }

  static String repo(String app) {
    return "git.example.test/team/" + app;
  }

  static String commit(String version) {
    return String.format("%040x", Math.abs((long) version.hashCode()));
  }

  static void publishBuild(BuildSucceeded build) {
    KafkaEvents.publish(Topics.BUILD_EVENTS, build.buildId(), CloudEvent.of("build-worker", build));
  }

  /**
   * @return the verdict's CloudEvent id
   */
  static String publishVerdict(String rolloutId, String app, int step, Verdict verdict) {
    Instant now = Instant.now();
    AnalysisVerdict data =
        new AnalysisVerdict(
            rolloutId,
            app,
            step,
            "v2",
            "v1",
            verdict,
            List.of(
                new Evidence(
                    "goroutines",
                    verdict,
                    10.0,
                    10.0,
                    null,
                    "count",
                    "goroutines " + verdict.name().toLowerCase() + " in the test",
                    List.of())),
            now.minusSeconds(5),
            now,
            now);
    CloudEvent<AnalysisVerdict> event = CloudEvent.of("monitor-service", data);
    KafkaEvents.publish(Topics.ANALYSIS_VERDICTS, app, event);
    return event.id();
  }

  /**
   * @return the request's CloudEvent id
   */
  static String publishRollbackRequest(String rolloutId, String app, String reason) {
    RollbackRequested data =
        new RollbackRequested(rolloutId, app, "v2", "v1", reason, List.of(), Instant.now());
    CloudEvent<RollbackRequested> event = CloudEvent.of("monitor-service", data);
    KafkaEvents.publish(Topics.ANALYSIS_VERDICTS, app, event);
    return event.id();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the app's proxy answers on {@code /}: the version that served, or the status. */
  static String get(int port) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? response.body().strip()
          : "HTTP " + response.statusCode();
    } catch (IOException e) {
      return "unreachable: " + e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

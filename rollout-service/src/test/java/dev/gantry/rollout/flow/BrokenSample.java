package dev.gantry.rollout.flow;

import dev.gantry.testkit.GoFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Go binary that is not healthy when it should be ({@code broken-sample/main.go}): {@link
 * Mode#UNHEALTHY} serves but answers 500 on {@code /healthz}; {@link Mode#EXIT} exits at once;
 * {@link Mode#SLOW} serves at once but answers 503 on {@code /healthz} for a while after it
 * started.
 */
final class BrokenSample {
  enum Mode {
    UNHEALTHY,
    EXIT,
    SLOW
  }

  private BrokenSample() {}

  static Path build(Path dir, String version, Mode mode) {
    return build(dir, version, mode, Duration.ZERO);
  }

  /**
   * @param healthyAfter for {@link Mode#SLOW}: how long after it started its health check passes
   */
  static Path build(Path dir, String version, Mode mode, Duration healthyAfter) {
    try {
      Path src = Files.createDirectories(dir.resolve("src"));
      try (InputStream in = BrokenSample.class.getResourceAsStream("/broken-sample/main.go")) {
        Files.write(src.resolve("main.go"), in.readAllBytes());
      }
      Files.writeString(src.resolve("go.mod"), "module example.com/broken-sample\n\ngo 1.21\n");
      Path binary = dir.resolve("broken-sample");
      ProcessBuilder pb =
          new ProcessBuilder(
                  GoFixture.go(),
                  "build",
                  "-trimpath",
                  "-ldflags=-X main.version="
                      + version
                      + " -X main.mode="
                      + mode.name().toLowerCase()
                      + " -X main.healthyAfterMs="
                      + healthyAfter.toMillis(),
                  "-o",
                  binary.toString(),
                  ".")
              .directory(src.toFile())
              .redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.clear();
      env.putAll(
          Map.of(
              "PATH", "/usr/local/bin:/usr/bin:/bin",
              "HOME", dir.toString(),
              "GOPROXY", "off",
              "GOTOOLCHAIN", "local",
              "GOENV", "off",
              "GOTELEMETRY", "off",
              "CGO_ENABLED", "0",
              "GOCACHE",
                  Path.of(System.getProperty("java.io.tmpdir"), "gantry-sample-gocache")
                      .toString()));
      Process go = pb.start();
      String output = new String(go.getInputStream().readAllBytes());
      if (!go.waitFor(300, TimeUnit.SECONDS) || go.exitValue() != 0) {
        throw new IllegalStateException("building broken-sample failed: " + output);
      }
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.gantry.monitor.support;

import dev.gantry.testkit.GoFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@code gantry/monitor/slowsample/main.go} with the real go: a service that exposes a
 * request duration histogram (testkit's sample has none) and answers after {@code SLOW_DELAY_MS}.
 */
public final class SlowSample {
  private static Path binary;

  private SlowSample() {}

  public static synchronized Path binary() {
    if (binary != null) {
      return binary;
    }
    try {
      Path dir = Files.createTempDirectory("monitor-slowsample");
      try (InputStream in =
          SlowSample.class.getResourceAsStream("/gantry/monitor/slowsample/main.go")) {
        Files.write(dir.resolve("main.go"), in.readAllBytes());
      }
      Files.writeString(dir.resolve("go.mod"), "module example.com/slowsample\n\ngo 1.21\n");
      ProcessBuilder pb =
          new ProcessBuilder(GoFixture.go(), "build", "-trimpath", "-o", "slowsample", ".")
              .directory(dir.toFile())
              .redirectErrorStream(true);
      pb.environment().put("HOME", dir.toString());
      pb.environment().put("GOPROXY", "off");
      pb.environment().put("GOTOOLCHAIN", "local");
      pb.environment().put("GOTELEMETRY", "off");
      pb.environment().put("CGO_ENABLED", "0");
      // the cache testkit's GoSample fills: the standard library is compiled once per machine
      pb.environment()
          .put(
              "GOCACHE",
              Path.of(System.getProperty("java.io.tmpdir"), "gantry-sample-gocache").toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("go build of slowsample failed: " + out);
      }
      binary = dir.resolve("slowsample");
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.gantry.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Go service the tests deploy ({@code gantry/testkit/sample/main.go}), built with the real Go
 * toolchain: it answers {@code /} with its version, serves {@code /healthz}, {@code /metrics} and
 * Go's {@code /debug/pprof/}, and leaks goroutines, fails or slows down when its environment says
 * so ({@code SAMPLE_LEAK_PER_REQUEST}, {@code SAMPLE_ERROR_EVERY}, {@code SAMPLE_DELAY_MS}). It
 * listens on {@code 127.0.0.1:$PORT}.
 */
public final class GoSample {
  private GoSample() {}

  /** Builds the sample with {@code version} injected into {@code dir/gantry-sample}. */
  public static Path build(Path dir, String version) {
    try {
      Path src = Files.createDirectories(dir.resolve("src"));
      try (InputStream in = GoSample.class.getResourceAsStream("/gantry/testkit/sample/main.go")) {
        if (in == null) {
          throw new IllegalStateException("gantry/testkit/sample/main.go is missing from testkit");
        }
        Files.write(src.resolve("main.go"), in.readAllBytes());
      }
      Files.writeString(src.resolve("go.mod"), "module example.com/gantry-sample\n\ngo 1.21\n");
      Path binary = dir.resolve("gantry-sample");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
      env.put("HOME", dir.toString());
      env.put("GOPROXY", "off");
      env.put("GOFLAGS", "-mod=mod");
      env.put("GOTOOLCHAIN", "local");
      env.put("GOENV", "off");
      env.put("GOTELEMETRY", "off");
      env.put("CGO_ENABLED", "0");
      // one cache for every sample built by this JVM's tests: the standard library compiles once
      env.put(
          "GOCACHE",
          Path.of(System.getProperty("java.io.tmpdir"), "gantry-sample-gocache").toString());
      GoFixture.run(
          List.of(
              GoFixture.go(),
              "build",
              "-trimpath",
              "-ldflags=-X main.version=" + version,
              "-o",
              binary.toString(),
              "."),
          src,
          env,
          "building the Go sample");
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

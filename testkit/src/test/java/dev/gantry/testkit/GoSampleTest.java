package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample service runs, reports its version, and leaks goroutines when told to. */
class GoSampleTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeItsVersionPprofAndMetricsAndLeakWhenAsked() throws Exception {
    Path binary = GoSample.build(dir, "v9.9.9");
    int port = Ports.free();
    ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("sample.log").toFile());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("SAMPLE_LEAK_PER_REQUEST", "5");
    Process sample = pb.start();
    try {
      String base = "http://127.0.0.1:" + port;
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> get(base + "/healthz").statusCode() == 200);

      assertThat(get(base + "/").body().strip()).isEqualTo("v9.9.9");
      for (int i = 0; i < 9; i++) {
        get(base + "/");
      }
      assertThat(get(base + "/metrics").body())
          .contains(
              "sample_requests_total 10", "sample_leaked_goroutines 50", "version=\"v9.9.9\"");
      String goroutines = get(base + "/debug/pprof/goroutine?debug=1").body();
      assertThat(goroutines).startsWith("goroutine profile: total ");
      int total =
          Integer.parseInt(goroutines.lines().findFirst().orElseThrow().replaceAll("\\D", ""));
      assertThat(total).isGreaterThanOrEqualTo(50);
    } finally {
      sample.destroy();
      sample.waitFor();
    }
  }

  HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}

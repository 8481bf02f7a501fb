package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.console.support.ConsoleTestResource;
import dev.gantry.console.support.Login;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.Topics;
import dev.gantry.events.analysis.SampleRecorded;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.KafkaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A sample stored by monitor-service, announced on the real Kafka, reaches an open page. */
@QuarkusTest
@QuarkusTestResource(ConsoleTestResource.class)
class LiveTest {

  @Test
  void shouldPushASampleRecordedOnKafkaToThePageOfItsRollout() throws Exception {
    String rollout = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    Login viewer = Login.viewer();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(ConsoleTestResource.publicUrl() + "/api/live?rollout=" + rollout))
            .header("Cookie", "gantry_session=" + viewer.cookie())
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<Stream<String>> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> response.body().forEach(lines::add), "live-test-reader");
    reader.setDaemon(true);
    reader.start();
    List<String> opening = new ArrayList<>();
    String first;
    while ((first = lines.poll(10, TimeUnit.SECONDS)) != null && !first.equals("event:ready")) {
      opening.add(first);
    }
    assertThat(first).as("before ready: %s", opening).isEqualTo("event:ready");

    // the consumer starts from the latest offset once it has its partitions: until then a record
    // is not seen, so publish one sample after another until one arrives
    String bootstrap = GantryInfra.kafka().bootstrapServers();
    List<String> seen = new ArrayList<>();
    String delivered = null;
    for (int seq = 1; seq <= 60 && delivered == null; seq++) {
      publish(bootstrap, other, seq);
      publish(bootstrap, rollout, seq);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      String line;
      while (delivered == null
          && (line = lines.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
        seen.add(line);
        if (line.startsWith("data:") && line.contains(rollout)) {
          delivered = line;
        }
      }
    }
    assertThat(delivered).as("lines seen: %s", seen).isNotNull();
    assertThat(delivered)
        .contains("gantry.analysis.sample-recorded.v1")
        .contains("\"track\":\"canary\"");
    assertThat(seen).contains("event:sample").noneMatch(l -> l.contains(other));
    response.body().close();
  }

  private static void publish(String bootstrap, String rolloutId, int seq) {
    SampleRecorded sample =
        new SampleRecorded(rolloutId, "shop", 0, "canary", seq, Instant.now(), false);
    KafkaEvents.publish(
        bootstrap, Topics.ANALYSIS_SAMPLES, "shop", CloudEvent.of("monitor-service", sample));
  }
}

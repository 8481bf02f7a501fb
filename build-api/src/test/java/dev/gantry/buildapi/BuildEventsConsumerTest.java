package dev.gantry.buildapi;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.gantry.buildapi.Forge.Kind;
import dev.gantry.buildapi.Forge.Repo;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventData;
import dev.gantry.events.Golden;
import dev.gantry.events.Topics;
import dev.gantry.events.build.BuildCancelled;
import dev.gantry.events.build.BuildFailed;
import dev.gantry.events.build.BuildStarted;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.KafkaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Worker reports arrive on the real build.events topic, shaped like the golden files. */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
class BuildEventsConsumerTest {

  @Test
  void shouldFollowABuildFromQueuedToSucceededWithItsArtifacts() {
    String id = queuedBuild();
    publish(started(id));
    awaitBuild(id, b -> b.getString("status").equals("RUNNING"));

    BuildSucceeded golden = Golden.data(BuildSucceeded.class);
    publish(
        new BuildSucceeded(
            id,
            golden.repo(),
            golden.refName(),
            golden.appName(),
            golden.commit(),
            "v0.0.0-test",
            golden.toolchain(),
            golden.artifacts(),
            golden.stageMillis(),
            golden.cache(),
            golden.startedAt(),
            golden.finishedAt()));

    JsonPath b = awaitBuild(id, j -> j.getString("status").equals("SUCCEEDED"));
    org.assertj.core.api.Assertions.assertThat(b.getString("version")).isEqualTo("v0.0.0-test");
    org.assertj.core.api.Assertions.assertThat(b.getString("toolchain"))
        .isEqualTo(golden.toolchain());
    org.assertj.core.api.Assertions.assertThat(b.getList("artifacts.sha256"))
        .containsExactlyElementsOf(golden.artifacts().stream().map(a -> a.sha256()).toList());
    org.assertj.core.api.Assertions.assertThat(b.getString("worker")).isEqualTo("worker-test");
    org.assertj.core.api.Assertions.assertThat(b.getMap("links")).doesNotContainKey("cancel");
    // the figures build-api keeps, and no empty fields from the event's larger record
    org.assertj.core.api.Assertions.assertThat(b.getMap("cache"))
        .containsOnlyKeys("hits", "misses")
        .containsEntry("hits", (int) golden.cache().hits())
        .containsEntry("misses", (int) golden.cache().misses());
  }

  @Test
  void shouldRecordFailureWithStageExitCodeAndLogTail() {
    String id = queuedBuild();
    BuildFailed golden = Golden.data(BuildFailed.class);
    publish(
        new BuildFailed(
            id,
            golden.repo(),
            golden.refName(),
            golden.commit(),
            golden.stage(),
            golden.exitCode(),
            golden.message(),
            golden.logTail(),
            Instant.now()));

    JsonPath b = awaitBuild(id, j -> j.getString("status").equals("FAILED"));
    org.assertj.core.api.Assertions.assertThat(b.getString("error.stage")).isEqualTo("build");
    org.assertj.core.api.Assertions.assertThat(b.getInt("error.exitCode")).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThat(b.getList("error.logTail"))
        .isEqualTo(golden.logTail());
  }

  @Test
  void shouldNeverMoveATerminalBuildBackWhenEventsAreDuplicatedOrLate() {
    String id = queuedBuild();
    BuildCancelled cancelled = new BuildCancelled(id, "r", "main", "superseded", Instant.now());
    CloudEvent<?> cancelEvent = CloudEvent.of("build-worker", cancelled);
    publish(cancelEvent);
    awaitBuild(id, j -> j.getString("status").equals("CANCELLED"));

    // a late start, a duplicate of the cancel and a success that lost the race
    publish(started(id));
    KafkaEvents.publish(Topics.BUILD_EVENTS, id, cancelEvent);
    publish(new BuildFailed(id, "r", "main", null, "build", 2, "late", List.of(), Instant.now()));
    // a marker after them on the same partition: once it is applied, the others were consumed
    String marker = queuedBuild();
    KafkaEvents.publish(
        Topics.BUILD_EVENTS,
        id,
        CloudEvent.of(
            "build-worker",
            new BuildStarted(marker, "r", "main", null, "worker-test", Instant.now())));
    awaitBuild(marker, j -> j.getString("status").equals("RUNNING"));

    given()
        .header("Authorization", Forge.VIEWER)
        .get("/builds/" + id)
        .then()
        .body("status", equalTo("CANCELLED"));
  }

  @Test
  void shouldSkipUnreadableAndUnknownRecordsAndKeepConsuming() {
    String id = queuedBuild();
    KafkaEvents.publish(Topics.BUILD_EVENTS, id, CloudEvent.of("build-worker", started(id).data()));
    // a record of a type this version does not know, then garbage with a known type
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
            java.util.Map.of("bootstrap.servers", GantryInfra.kafka().bootstrapServers()),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      var unknown =
          new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(
              Topics.BUILD_EVENTS, id, "{}".getBytes());
      unknown.headers().add("ce_type", "gantry.build.teleported.v1".getBytes());
      var garbage =
          new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(
              Topics.BUILD_EVENTS, id, "{not json".getBytes());
      garbage
          .headers()
          .add("ce_type", dev.gantry.events.EventTypes.BUILD_FAILED.getBytes())
          .add("ce_id", "x".getBytes())
          .add("ce_source", "x".getBytes());
      producer.send(unknown);
      producer.send(garbage);
      producer.flush();
    }
    publish(new BuildCancelled(id, "r", "main", "stop", Instant.now()));

    awaitBuild(id, j -> j.getString("status").equals("CANCELLED"));
  }

  private static String queuedBuild() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    return Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "x")
        .then()
        .statusCode(202)
        .extract()
        .path("build.id");
  }

  private static CloudEvent<BuildStarted> started(String id) {
    return CloudEvent.of(
        "build-worker", new BuildStarted(id, "r", "main", null, "worker-test", Instant.now()));
  }

  private static void publish(EventData data) {
    publish(CloudEvent.of("build-worker", data));
  }

  private static void publish(CloudEvent<?> event) {
    KafkaEvents.publish(Topics.BUILD_EVENTS, event.subject(), event);
  }

  private static JsonPath awaitBuild(String id, Predicate<JsonPath> condition) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> given().header("Authorization", Forge.VIEWER).get("/builds/" + id).jsonPath(),
            condition::test);
  }
}

package dev.gantry.buildapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.equalToIgnoringCase;
import static org.hamcrest.Matchers.not;

import dev.gantry.buildapi.EventStream.Event;
import dev.gantry.buildapi.Forge.Kind;
import dev.gantry.buildapi.Forge.Repo;
import dev.gantry.buildapi.config.BuildApiConfig;
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
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Build logs as a developer reads them: the tests play the worker, appending to the log file under
 * the configured shared root and reporting the result on the real build.events topic.
 */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
class BuildLogResourceTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Map<String, String> VIEWER = Map.of("Authorization", Forge.VIEWER);

  @Inject BuildApiConfig config;

  @TestHTTPResource("/")
  URI root;

  @Test
  void shouldServeTheWholeLogAsUtf8TextAtTheBuildsLogLink() throws IOException {
    String id = queuedBuild();
    String text = "=== attempt 1 on worker-a ===\ngo: downloading héllo ✓\n  indented\n";
    append(id, text);

    String link =
        given()
            .header("Authorization", Forge.VIEWER)
            .get("/builds/" + id)
            .then()
            .statusCode(200)
            .extract()
            .path("links.log");
    assertThat(link).isEqualTo("/builds/" + id + "/log");
    given()
        .header("Authorization", Forge.VIEWER)
        .get("/builds/" + id)
        .then()
        .body("links.logStream", equalTo("/builds/" + id + "/log/stream"));

    byte[] body =
        given()
            .header("Authorization", Forge.VIEWER)
            .get(link)
            .then()
            .statusCode(200)
            .header("Content-Type", equalToIgnoringCase("text/plain;charset=utf-8"))
            .header("X-Log-Offset", equalTo(Integer.toString(utf8(text).length)))
            .extract()
            .asByteArray();
    assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(text);
  }

  @Test
  void shouldServeOnlyWhatFollowsTheOffsetItHandedOut() throws IOException {
    String id = queuedBuild();
    append(id, "one\n");
    String offset = text(id, null).extract().header("X-Log-Offset");
    assertThat(offset).isEqualTo("4");

    append(id, "two\nthree\n");
    text(id, offset).body(equalTo("two\nthree\n")).header("X-Log-Offset", "14");
    text(id, "14").body(equalTo("")).header("X-Log-Offset", "14");
    // past the end (a position from a log that has not grown that far yet): nothing new
    text(id, "1000").body(equalTo("")).header("X-Log-Offset", "1000");
  }

  @Test
  void shouldHoldBackAnUnfinishedLineUntilItEndsOrTheBuildIsOver() throws IOException {
    String id = queuedBuild();
    append(id, "compiling\nexit sta");
    text(id, null).body(equalTo("compiling\n")).header("X-Log-Offset", "10");

    append(id, "tus 1\nFAIL");
    text(id, "10").body(equalTo("exit status 1\n")).header("X-Log-Offset", "24");

    report(failed(id));
    awaitStatus(id, "FAILED");
    text(id, "24").body(equalTo("FAIL")).header("X-Log-Offset", "28");
    text(id, null).body(equalTo("compiling\nexit status 1\nFAIL"));
  }

  @Test
  void shouldAnswerAnEmptyLogForABuildThatHasNotStartedYet() {
    String id = queuedBuild();
    text(id, null).body(equalTo("")).header("X-Log-Offset", "0");
  }

  @Test
  void shouldRejectMalformedIdsAndOffsetsAndAnswer404ForUnknownBuilds() throws Exception {
    String id = queuedBuild();
    for (String offset : List.of("-1", "abc", "1.5", "99999999999999999999")) {
      given()
          .header("Authorization", Forge.VIEWER)
          .queryParam("offset", offset)
          .get("/builds/" + id + "/log")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("detail", containsString("offset"));
    }
    given()
        .header("Authorization", Forge.VIEWER)
        .header("Accept", "text/event-stream")
        .header("Last-Event-ID", "abc")
        .get("/builds/" + id + "/log/stream")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("Last-Event-ID"));

    // like GET /builds/{id}: an id that is not a UUID names no build
    for (String bad : List.of("not-a-uuid", "1-1-1-1-1", id + "x")) {
      for (String path : List.of("/log", "/log/stream")) {
        given()
            .header("Authorization", Forge.VIEWER)
            .get("/builds/" + bad + path)
            .then()
            .statusCode(404)
            .contentType("application/problem+json")
            .body("detail", not(containsString(bad)));
      }
    }
    for (String path : List.of("/log", "/log/stream")) {
      given()
          .header("Authorization", Forge.VIEWER)
          .get("/builds/" + UUID.randomUUID() + path)
          .then()
          .statusCode(404)
          .contentType("application/problem+json")
          .body("detail", containsString("no build"));
    }
  }

  @Test
  void shouldNeverServeAFileOutsideTheBuildLogs() throws Exception {
    Path secret = logsDir().getParent().resolve("secret.log");
    Files.createDirectories(logsDir());
    Files.writeString(secret, "TOP SECRET\n");

    for (String id :
        List.of(
            "..%2Fsecret",
            "%2E%2E%2Fsecret",
            "..%5Csecret",
            "..",
            "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
            "%2Fetc%2Fpasswd")) {
      for (String path : List.of("/log", "/log/stream")) {
        String body =
            given()
                .urlEncodingEnabled(false)
                .header("Authorization", Forge.VIEWER)
                .get("/builds/" + id + path)
                .then()
                .statusCode(org.hamcrest.Matchers.either(equalTo(400)).or(equalTo(404)))
                .extract()
                .asString();
        assertThat(body).doesNotContain("TOP SECRET").doesNotContain("root:");
      }
    }

    // a link planted where a log should be is not followed: the build has no log yet
    String id = queuedBuild();
    Files.createSymbolicLink(logsDir().resolve(id + ".log"), secret.toAbsolutePath());
    text(id, null).body(equalTo("")).header("X-Log-Offset", "0");
    report(failed(id));
    awaitStatus(id, "FAILED");
    text(id, null).body(equalTo("")).header("X-Log-Offset", "0");
    try (EventStream stream = EventStream.open(logUri(id, null), VIEWER)) {
      List<Event> events = stream.untilClosed(WAIT);
      assertThat(events).extracting(Event::name).containsExactly("end");
      assertThat(events.get(0).id()).isEqualTo("0");
    }
  }

  @Test
  void shouldRequireATokenLikeEveryOtherRead() throws IOException {
    String id = queuedBuild();
    append(id, "secret-free but private\n");
    for (String path : List.of("/log", "/log/stream")) {
      given()
          .get("/builds/" + id + path)
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .header("WWW-Authenticate", containsString("Bearer"))
          .body(not(containsString("private")));
      given()
          .header("Authorization", "Bearer not-a-token")
          .get("/builds/" + id + path)
          .then()
          .statusCode(401)
          .contentType("application/problem+json");
    }
    // the operator token reads everything a viewer may
    given()
        .header("Authorization", Forge.OPERATOR)
        .get("/builds/" + id + "/log")
        .then()
        .statusCode(200)
        .body(equalTo("secret-free but private\n"));
  }

  @Test
  void shouldStreamNewLinesAsTheyArriveAndEndWhenTheBuildFails() throws Exception {
    String id = queuedBuild();
    append(id, "line 1\nline 2\n");

    try (EventStream stream = EventStream.open(logUri(id, null), VIEWER)) {
      assertThat(stream.response().headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
      assertThat(stream.response().headers().firstValue("Cache-Control")).hasValue("no-cache");

      Event first = stream.next(WAIT);
      assertThat(first.name()).isEqualTo("message");
      assertThat(first.data()).containsExactly("line 1", "line 2");
      assertThat(first.id()).isEqualTo("14");

      report(started(id));
      append(id, "line 3\n");
      Event second = stream.next(WAIT);
      assertThat(second.data()).containsExactly("line 3");
      assertThat(Long.parseLong(second.id())).isEqualTo(21);

      append(id, "  indented ✓\n\n");
      Event third = stream.next(WAIT);
      assertThat(third.data()).containsExactly("  indented ✓", "");
      assertThat(Long.parseLong(third.id())).isEqualTo(21 + utf8("  indented ✓\n\n").length);

      report(failed(id));
      List<Event> rest = stream.untilClosed(WAIT);
      assertThat(rest).hasSize(1);
      assertThat(rest.get(0).name()).isEqualTo("end");
      assertThat(rest.get(0).data()).containsExactly("FAILED");
      assertThat(rest.get(0).id()).isEqualTo(third.id());
    }
  }

  @Test
  void shouldResumeAfterTheLastEventIdAnEventSourceSendsOnReconnectAndEndWhenItSucceeds()
      throws Exception {
    String id = queuedBuild();
    append(id, "first\nsecond\nthird\n");

    String afterFirst;
    try (EventStream stream = EventStream.open(logUri(id, null), VIEWER)) {
      Event all = stream.next(WAIT);
      assertThat(all.data()).containsExactly("first", "second", "third");
      afterFirst = Integer.toString(utf8("first\n").length);
    }

    append(id, "fourth\n");
    // the reconnect repeats the original URL; the header is the newer position
    try (EventStream resumed =
        EventStream.open(
            logUri(id, "0"), Map.of("Authorization", Forge.VIEWER, "Last-Event-ID", afterFirst))) {
      Event next = resumed.next(WAIT);
      assertThat(next.data()).containsExactly("second", "third", "fourth");
      assertThat(next.id())
          .isEqualTo(Integer.toString(utf8("first\nsecond\nthird\nfourth\n").length));
    }

    try (EventStream byQuery = EventStream.open(logUri(id, "13"), VIEWER)) {
      assertThat(byQuery.next(WAIT).data()).containsExactly("third", "fourth");
      report(succeeded(id));
      List<Event> rest = byQuery.untilClosed(WAIT);
      assertThat(rest).extracting(Event::name).containsExactly("end");
      assertThat(rest.get(0).data()).containsExactly("SUCCEEDED");
    }
  }

  @Test
  void shouldSendALineOnlyOnceItIsCompleteUnlessTheBuildIsOver() throws Exception {
    String id = queuedBuild();
    append(id, "a\npart");

    try (EventStream stream = EventStream.open(logUri(id, null), VIEWER)) {
      assertThat(stream.next(WAIT).data()).containsExactly("a");

      append(id, "ial");
      // several polls' worth: a half line must not leave in the meantime
      assertThat(stream.poll(Duration.ofSeconds(1))).isNull();

      append(id, "\nb\n");
      Event completed = stream.next(WAIT);
      assertThat(completed.data()).containsExactly("partial", "b");
      assertThat(completed.id()).isEqualTo(Integer.toString(utf8("a\npartial\nb\n").length));

      append(id, "exit status 2");
      report(failed(id));
      List<Event> rest = stream.untilClosed(WAIT);
      assertThat(rest).extracting(Event::name).containsExactly("message", "end");
      assertThat(rest.get(0).data()).containsExactly("exit status 2");
      assertThat(rest.get(1).id())
          .isEqualTo(Integer.toString(utf8("a\npartial\nb\nexit status 2").length));
    }
  }

  @Test
  void shouldWaitForALogThatDoesNotExistYetAndEndAtOnceForAFinishedBuild() throws Exception {
    String id = queuedBuild();
    try (EventStream stream = EventStream.open(logUri(id, null), VIEWER)) {
      append(id, "=== attempt 1 on worker-a ===\n");
      assertThat(stream.next(WAIT).data()).containsExactly("=== attempt 1 on worker-a ===");
      report(new BuildCancelled(id, "r", "main", "stop", Instant.now()));
      assertThat(stream.untilClosed(WAIT)).extracting(Event::name).containsExactly("end");
    }

    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    String skipped =
        Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "docs [skip ci]")
            .then()
            .statusCode(202)
            .extract()
            .path("build.id");
    try (EventStream stream = EventStream.open(logUri(skipped, null), VIEWER)) {
      List<Event> events = stream.untilClosed(WAIT);
      assertThat(events).hasSize(1);
      assertThat(events.get(0).name()).isEqualTo("end");
      assertThat(events.get(0).data()).containsExactly("SKIPPED");
      assertThat(events.get(0).id()).isEqualTo("0");
    }
  }

  @Test
  void shouldSendHeartbeatCommentsWhileNothingHappens() throws Exception {
    String id = queuedBuild();
    try (EventStream stream = EventStream.open(logUri(id, null), VIEWER)) {
      // the test profile's heartbeat is 1 s
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments() >= 2);
      assertThat(stream.poll(Duration.ZERO)).isNull();
    }
  }

  @Test
  void shouldCutALargeLogIntoBoundedEventsThatFitTogetherExactly() throws Exception {
    String id = queuedBuild();
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      log.append("step ").append(i).append(": ").append("ok ✓ ".repeat(8)).append('\n');
    }
    // and one line longer than an event may carry
    log.append("x".repeat(3 * 64 * 1024)).append('\n');
    append(id, log.toString());
    long size = utf8(log.toString()).length;
    report(succeeded(id));
    awaitStatus(id, "SUCCEEDED");

    byte[] whole =
        given()
            .header("Authorization", Forge.VIEWER)
            .get("/builds/" + id + "/log")
            .then()
            .statusCode(200)
            .header("X-Log-Offset", Long.toString(size))
            .extract()
            .asByteArray();
    assertThat(whole).isEqualTo(utf8(log.toString()));

    try (EventStream stream = EventStream.open(logUri(id, null), VIEWER)) {
      List<Event> events = stream.untilClosed(WAIT);
      assertThat(events.size()).isGreaterThan(4);
      assertThat(events.get(events.size() - 1).name()).isEqualTo("end");
      StringBuilder joined = new StringBuilder();
      long previous = 0;
      for (Event e : events.subList(0, events.size() - 1)) {
        String data = String.join("\n", e.data());
        assertThat(utf8(data).length).isLessThanOrEqualTo(64 * 1024);
        assertThat(Long.parseLong(e.id())).isGreaterThan(previous);
        previous = Long.parseLong(e.id());
        joined.append(data);
        // a line cut at the size bound continues in the next event
        if (!(e.data().get(e.data().size() - 1).length() == 64 * 1024)) {
          joined.append('\n');
        }
      }
      assertThat(previous).isEqualTo(size);
      assertThat(joined.toString()).isEqualTo(log.toString());
    }
  }

  @Test
  void shouldDescribeTheLogInOpenApiAndMeasureItApartFromBuildReads() throws IOException {
    String id = queuedBuild();
    append(id, "x\n");
    text(id, null).body(equalTo("x\n"));

    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body("paths", org.hamcrest.Matchers.hasKey("/builds/{id}/log"))
        .body("paths", org.hamcrest.Matchers.hasKey("/builds/{id}/log/stream"));
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("uri=\"/builds/{id}/log\""));
  }

  private String queuedBuild() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    return Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "x")
        .then()
        .statusCode(202)
        .extract()
        .path("build.id");
  }

  private Path logsDir() {
    return config.shared().root().resolve("logs").resolve("builds");
  }

  /** What a worker does: create the log on first write, then only append. */
  private void append(String id, String text) throws IOException {
    Files.createDirectories(logsDir());
    Files.write(
        logsDir().resolve(id + ".log"),
        utf8(text),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static io.restassured.response.ValidatableResponse text(String id, String offset) {
    var spec = given().header("Authorization", Forge.VIEWER);
    if (offset != null) {
      spec.queryParam("offset", offset);
    }
    return spec.get("/builds/" + id + "/log").then().statusCode(200);
  }

  private URI logUri(String id, String offset) {
    return root.resolve(
        "/builds/" + id + "/log/stream" + (offset == null ? "" : "?offset=" + offset));
  }

  private static CloudEvent<BuildStarted> started(String id) {
    return CloudEvent.of(
        "build-worker", new BuildStarted(id, "r", "main", null, "worker-a", Instant.now()));
  }

  private static BuildSucceeded succeeded(String id) {
    BuildSucceeded golden = Golden.data(BuildSucceeded.class);
    return new BuildSucceeded(
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
        golden.finishedAt());
  }

  private static BuildFailed failed(String id) {
    return new BuildFailed(id, "r", "main", null, "build", 1, "build failed", List.of(), null);
  }

  private static void report(EventData data) {
    report(CloudEvent.of("build-worker", data));
  }

  private static void report(CloudEvent<?> event) {
    KafkaEvents.publish(Topics.BUILD_EVENTS, event.subject(), event);
  }

  private static void awaitStatus(String id, String status) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                given()
                    .header("Authorization", Forge.VIEWER)
                    .get("/builds/" + id)
                    .path("status")
                    .equals(status));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

package dev.gantry.rollout.flow;

import static dev.gantry.rollout.flow.Releases.get;
import static dev.gantry.rollout.flow.Releases.publishBuild;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.events.Topics;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.testkit.EventRecord;
import dev.gantry.testkit.KafkaEvents;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** An app registered for the test, with its own name, repository and proxy port. */
record FlowApp(String name, int port) {
  static FlowApp register(String router) {
    return register(router, null);
  }

  /**
   * @param steps as {@code POST /apps} takes them, e.g. {@code List.of(Map.of("weight", 50, "gate",
   *     "pause", "seconds", 1), …)}; null for the default steps
   */
  static FlowApp register(String router, List<Map<String, Object>> steps) {
    String name = "flow-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("repo", Releases.repo(name));
    body.put("branch", "main");
    body.put("stepDeadlineSeconds", 120);
    body.put("router", router);
    if (steps != null) {
      body.put("steps", steps);
    }
    // a free port may be one an earlier test's app was registered with and never listened on
    for (int attempt = 0; ; attempt++) {
      int port = Releases.freePort();
      body.put("listenPort", port);
      int status =
          given()
              .header("Authorization", RolloutFlowTest.OPERATOR)
              .contentType(ContentType.JSON)
              .body(body)
              .post("/apps")
              .then()
              .extract()
              .statusCode();
      if (status == 201) {
        return new FlowApp(name, port);
      }
      assertThat(status).as("registering %s on port %d", name, port).isEqualTo(409);
      assertThat(attempt).as("ports taken in a row").isLessThan(5);
    }
  }

  /** A step gated by a pause of {@code seconds}, for {@link #register(String, List)}. */
  static Map<String, Object> pauseStep(int weight, int seconds) {
    return Map.of("weight", weight, "gate", "pause", "seconds", seconds);
  }

  /** What {@code GET /apps/{name}} shows at {@code path}, e.g. {@code activeRollout.id}. */
  <T> T shown(String path) {
    return given()
        .header("Authorization", RolloutFlowTest.OPERATOR)
        .get("/apps/" + name)
        .then()
        .statusCode(200)
        .extract()
        .path(path);
  }

  /** The first build of an app goes to 100 % without steps once it is healthy. */
  void deployFirst(String version) {
    publishBuild(Releases.built(name, version));
    RolloutPromoted promoted =
        await(RolloutPromoted.class, e -> e.canary().version().equals(version));
    assertThat(promoted.stable()).isNull();
    assertThat(traffic(10)).containsOnlyKeys(version);
  }

  /**
   * {@code stable} deployed first (unless null: it serves already), then {@code canary} at its
   * first step.
   */
  RolloutStepStarted canaryAtFirstStep(String stable, String canary) {
    if (stable != null) {
      deployFirst(stable);
    }
    publishBuild(Releases.built(name, canary));
    return awaitStep(0);
  }

  RolloutStepStarted awaitStep(int step) {
    return await(RolloutStepStarted.class, e -> e.step() == step && e.stable() != null);
  }

  <T> T await(Class<T> type, Predicate<T> match) {
    List<EventRecord> found =
        KafkaEvents.await(
            Topics.ROLLOUT_EVENTS,
            r ->
                name.equals(r.key())
                    && type.isInstance(r.event().data())
                    && match.test(type.cast(r.event().data())),
            1,
            Duration.ofSeconds(60));
    return type.cast(found.get(found.size() - 1).event().data());
  }

  <T> List<T> events(Class<T> type) {
    return KafkaEvents.readAll(Topics.ROLLOUT_EVENTS).stream()
        .filter(r -> name.equals(r.key()) && type.isInstance(r.event().data()))
        .map(r -> type.cast(r.event().data()))
        .toList();
  }

  /** Sends {@code n} requests through the app's proxy and counts who answered. */
  Map<String, Integer> traffic(int n) {
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < n; i++) {
      served.merge(get(port), 1, Integer::sum);
    }
    return served;
  }

  String currentLink() throws java.io.IOException {
    return Files.readSymbolicLink(Releases.SHARED_ROOT.resolve("artifacts/" + name + "/current"))
        .toString();
  }
}

package dev.gantry.rollout.flow;

import static dev.gantry.rollout.flow.Releases.publishBuild;
import static dev.gantry.rollout.flow.Releases.publishVerdict;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.events.Topics;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.rollout.domain.Request;
import dev.gantry.rollout.domain.RequestResult;
import dev.gantry.rollout.persistence.RolloutStore;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.KafkaEvents;
import dev.gantry.testkit.Postgres;
import dev.gantry.testkit.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * rollout-service killed in the middle of a rollout and started again: the rollout resumes at its
 * step with the same split, a version still running is adopted rather than started twice, one that
 * died while the service was away is started again, no step is announced twice, and an abort
 * accepted just before the crash is carried out after it.
 */
class RolloutRestartIT {
  private static final Duration EVENT_WAIT = Duration.ofSeconds(60);
  private static final Path STATE = Path.of("target/it-children").toAbsolutePath();

  @Test
  void shouldResumeARolloutAtItsStepAfterAKillAndCarryOutAnAbortAcceptedBeforeTheNextKill()
      throws Exception {
    String app = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    int proxyPort = Releases.freePort();
    String rolloutId;
    long stablePid;
    long canaryPid;
    long restartedCanaryPid;

    try (ServiceProcess first = PackagedRollout.start("restart-1", Releases.SHARED_ROOT, STATE)) {
      register(first, app, proxyPort);
      publishBuild(Releases.built(app, "v1"));
      awaitEvent(app, RolloutPromoted.class, e -> e.canary().version().equals("v1"));
      publishBuild(Releases.built(app, "v2"));
      rolloutId = awaitEvent(app, RolloutStepStarted.class, e -> e.stable() != null).rolloutId();
      publishVerdict(rolloutId, app, 0, Verdict.PASS);
      awaitEvent(app, RolloutStepStarted.class, e -> e.step() == 1);
      assertThat(split(proxyPort, 200)).containsEntry("v2", 50).containsEntry("v1", 150);
      stablePid = pid(app, "v1");
      canaryPid = pid(app, "v2");

      first.kill();
    }
    // the versions keep running while rollout-service is away, until the canary dies too
    assertThat(ProcessHandle.of(stablePid).map(ProcessHandle::isAlive)).contains(true);
    assertThat(ProcessHandle.of(canaryPid).map(ProcessHandle::isAlive)).contains(true);
    ProcessHandle.of(canaryPid).ifPresent(ProcessHandle::destroyForcibly);
    await("the canary is gone")
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(canaryPid).map(p -> !p.isAlive()).orElse(true));

    try (ServiceProcess second = PackagedRollout.start("restart-2", Releases.SHARED_ROOT, STATE)) {
      await("the proxy is back with the same split")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> split(proxyPort, 1).containsKey("v1") || split(proxyPort, 1).containsKey("v2"));
      assertThat(split(proxyPort, 200)).containsEntry("v2", 50).containsEntry("v1", 150);
      JsonPath shown =
          given()
              .baseUri(second.url())
              .header("Authorization", "Bearer " + PackagedRollout.OPERATOR_TOKEN)
              .get("/rollouts/" + rolloutId)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(shown.getInt("step")).isEqualTo(1);
      assertThat(shown.getInt("canaryWeight")).isEqualTo(25);
      assertThat(shown.getString("phase")).isEqualTo("PROGRESSING");
      // the stable adopted, not started a second time; the canary, which died, started again
      assertThat(pid(app, "v1")).isEqualTo(stablePid);
      restartedCanaryPid = pid(app, "v2");
      assertThat(restartedCanaryPid).isNotIn(canaryPid, -1L);
      assertThat(ProcessHandle.of(restartedCanaryPid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(steps(app, rolloutId)).containsExactly(0, 1);

      // the rollout still moves on its verdicts, and at once: the restarted instance has its
      // static member id back, so it need not wait for the killed one's session (Kafka's default
      // 45 s) to expire before it gets its partitions
      publishVerdict(rolloutId, app, 1, Verdict.PASS);
      awaitEvent(app, RolloutStepStarted.class, e -> e.step() == 2, Duration.ofSeconds(15));
      assertThat(split(proxyPort, 100)).containsEntry("v2", 50);

      second.kill();
    }

    // an operator's abort that was stored but not yet carried out when the service died
    RequestResult abort =
        new RolloutStore(dataSource())
            .submit(UUID.fromString(rolloutId), new Request.Abort(), Instant.now());
    assertThat(abort).isInstanceOf(RequestResult.Accepted.class);

    try (ServiceProcess third = PackagedRollout.start("restart-3", Releases.SHARED_ROOT, STATE)) {
      awaitEvent(app, RolloutAborted.class, e -> e.rolloutId().equals(rolloutId));
      assertThat(split(proxyPort, 50)).containsOnlyKeys("v1");
      await("the canary stops")
          .atMost(Duration.ofSeconds(15))
          .until(() -> ProcessHandle.of(restartedCanaryPid).map(p -> !p.isAlive()).orElse(true));
      assertThat(pid(app, "v1")).isEqualTo(stablePid);
      assertThat(steps(app, rolloutId)).containsExactly(0, 1, 2);
    }
  }

  private static void register(ServiceProcess service, String app, int port) {
    given()
        .baseUri(service.url())
        .header("Authorization", "Bearer " + PackagedRollout.OPERATOR_TOKEN)
        .contentType(ContentType.JSON)
        .body(Map.of("name", app, "repo", Releases.repo(app), "listenPort", port))
        .post("/apps")
        .then()
        .statusCode(201);
  }

  private static <T> T awaitEvent(String app, Class<T> type, Predicate<T> match) {
    return awaitEvent(app, type, match, EVENT_WAIT);
  }

  private static <T> T awaitEvent(String app, Class<T> type, Predicate<T> match, Duration within) {
    List<dev.gantry.testkit.EventRecord> found =
        KafkaEvents.await(
            GantryInfra.kafka().bootstrapServers(),
            Topics.ROLLOUT_EVENTS,
            r ->
                app.equals(r.key())
                    && type.isInstance(r.event().data())
                    && match.test(type.cast(r.event().data())),
            1,
            within);
    return type.cast(found.get(found.size() - 1).event().data());
  }

  /**
   * The steps announced for the rollout, in order, one per event id: an event the killed
   * rollout-service had sent but not yet marked as sent is sent again by its successor under the
   * same id (at least once; consumers drop the copy), while a step entered twice would carry a
   * second id.
   */
  private static List<Integer> steps(String app, String rolloutId) {
    Set<String> seen = new HashSet<>();
    return KafkaEvents.readAll(GantryInfra.kafka().bootstrapServers(), Topics.ROLLOUT_EVENTS)
        .stream()
        .filter(r -> app.equals(r.key()) && r.event().data() instanceof RolloutStepStarted)
        .filter(r -> ((RolloutStepStarted) r.event().data()).rolloutId().equals(rolloutId))
        .filter(r -> seen.add(r.event().id()))
        .map(r -> ((RolloutStepStarted) r.event().data()).step())
        .toList();
  }

  private static Map<String, Integer> split(int port, int requests) {
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      served.merge(Releases.get(port), 1, Integer::sum);
    }
    return served;
  }

  private static long pid(String app, String version) throws Exception {
    Path state = STATE.resolve(app).resolve(version + ".child");
    return Files.exists(state) ? Long.parseLong(Files.readString(state).split(" ")[0]) : -1;
  }

  private static PGSimpleDataSource dataSource() {
    Postgres pg = GantryInfra.postgres();
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(pg.jdbcUrl());
    ds.setUser(pg.username());
    ds.setPassword(pg.password());
    ds.setCurrentSchema("rollout");
    return ds;
  }
}

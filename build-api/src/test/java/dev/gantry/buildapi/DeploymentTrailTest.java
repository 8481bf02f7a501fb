package dev.gantry.buildapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

import dev.gantry.buildapi.Forge.Kind;
import dev.gantry.buildapi.Forge.Repo;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.EventTypes;
import dev.gantry.events.Golden;
import dev.gantry.events.Topics;
import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.rollout.Release;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.KafkaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * "Is my commit live?": rollout-service's and monitor-service's reports arrive on the real
 * rollout.events and analysis.verdicts topics, and GET /builds/{id} shows where the build went.
 */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
class DeploymentTrailTest {
  /** The failing check of the golden verdict, as the one-line summary shows it. */
  private static final String GOLDEN_FAILURE = "goroutines: canary 2418 vs stable 212 count";

  @Test
  void shouldShowNoDeploymentWhenTheBuildNeverReachedARollout() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    Release build = succeededBuild(repo, "v0.1.0");

    given()
        .header("Authorization", Forge.VIEWER)
        .when()
        .get("/builds/" + build.buildId())
        .then()
        .statusCode(200)
        .body("$", hasKey("deployment"))
        .body("deployment", nullValue());
  }

  @Test
  void shouldShowWeightZeroAndTheFailingVerdictWhenACanaryIsRolledBackAtTwentyFivePercent() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    Release build = succeededBuild(repo, "v1.5.0");
    Rollout r = Rollout.of(repo.name(), build, Rollout.foreignRelease("v1.4.0"));
    List<Evidence> evidence = goldenEvidence();

    r.publishAll(r.started(), r.stepStarted(0, 5), r.stepCompleted(0, 5), r.stepStarted(1, 25));
    JsonPath atStep = awaitDeployment(build.buildId(), d -> d.getInt("deployment.weight") == 25);
    assertThat(atStep.getString("deployment.phase")).isEqualTo("PROGRESSING");
    assertThat(atStep.getBoolean("deployment.live")).isTrue();
    assertThat(atStep.getInt("deployment.step")).isEqualTo(1);

    r.publishAll(
        r.verdict(1, Verdict.FAIL, evidence),
        r.rollbackRequested(1, evidence),
        r.rolledBack(1, 25));

    JsonPath d =
        awaitDeployment(
            build.buildId(),
            j ->
                "ROLLED_BACK".equals(j.getString("deployment.phase"))
                    && "ROLLBACK_REQUESTED".equals(j.getString("deployment.verdict.action")));
    assertThat(d.getString("deployment.rolloutId")).isEqualTo(r.id);
    assertThat(d.getString("deployment.app")).isEqualTo(repo.name());
    assertThat(d.getBoolean("deployment.live")).isFalse();
    assertThat(d.getInt("deployment.weight")).isZero();
    assertThat(d.getInt("deployment.step")).isEqualTo(1);
    assertThat(d.getString("deployment.reason")).isEqualTo("AnalysisFailed");
    assertThat(d.getString("deployment.replaces.version")).isEqualTo("v1.4.0");
    assertThat(d.getString("deployment.verdict.verdict")).isEqualTo("FAIL");
    assertThat(d.getInt("deployment.verdict.step")).isEqualTo(1);
    assertThat(d.getString("deployment.verdict.summary")).isEqualTo(GOLDEN_FAILURE);
    assertThat(d.getString("deployment.verdict.actionAt")).isNotNull();
  }

  /**
   * PostgreSQL restarted while the worker's, rollout-service's and monitor-service's reports
   * arrive: each waits at its event for the database, none is skipped, and build-api goes on
   * consuming all three topics afterwards.
   */
  @Test
  void shouldApplyReportsThatArriveWhileTheDatabaseIsAwayOnceItIsBack() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    Release build = queuedBuild(repo, "v3.0.0");
    Rollout r =
        Rollout.of(repo.name(), build, Rollout.foreignRelease("v2.9.0")).verdictsNameTheBuild();

    GantryInfra.withPostgresStopped(
        () -> {
          publishSucceeded(repo, build);
          r.publishAll(r.started(), r.stepStarted(0, 5), r.verdict(0, Verdict.PASS, List.of()));
          // the outage lasts long enough for every consumer to meet it, and build-api keeps
          // answering it as one, never a stale or half-stored build, until it ends
          await()
              .during(Duration.ofSeconds(3))
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      given()
                          .header("Authorization", Forge.VIEWER)
                          .get("/builds/" + build.buildId())
                          .statusCode(),
                  status -> status == 503);
        });

    JsonPath d =
        awaitDeployment(
            build.buildId(),
            j ->
                j.getInt("deployment.weight") == 5
                    && "PASS".equals(j.getString("deployment.verdict.verdict")));
    assertThat(d.getString("status")).isEqualTo("SUCCEEDED");
    assertThat(d.getString("deployment.phase")).isEqualTo("PROGRESSING");

    // and the channels are still open: the next reports arrive as usual
    r.publishAll(r.stepCompleted(0, 5), r.promoted());
    awaitDeployment(build.buildId(), j -> "PROMOTED".equals(j.getString("deployment.phase")));
  }

  @Test
  void shouldBeLiveAtFullWeightWhenPromoted() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    Release build = succeededBuild(repo, "v2.0.0");
    Rollout r =
        Rollout.of(repo.name(), build, Rollout.foreignRelease("v1.9.0")).verdictsNameTheBuild();

    r.publishAll(r.started(), r.stepStarted(0, 50), r.verdict(0, Verdict.PASS, List.of()));
    r.publishAll(r.stepCompleted(0, 50), r.promoted());

    JsonPath d =
        awaitDeployment(
            build.buildId(),
            j ->
                "PROMOTED".equals(j.getString("deployment.phase"))
                    && j.get("deployment.verdict") != null);
    assertThat(d.getBoolean("deployment.live")).isTrue();
    assertThat(d.getInt("deployment.weight")).isEqualTo(100);
    assertThat((Object) d.get("deployment.supersededBy")).isNull();
    assertThat(d.getString("deployment.verdict.verdict")).isEqualTo("PASS");
    assertThat(d.getString("deployment.verdict.summary")).isNull();
  }

  @Test
  void shouldSayAnOlderBuildIsNoLongerLiveWhenANewerOneIsPromotedOverIt() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    Release older = succeededBuild(repo, "v1.0.0");
    Release newer = succeededBuild(repo, "v1.1.0");
    Rollout first = Rollout.of(repo.name(), older, null);
    first.publishAll(first.started(), first.stepStarted(0, 100), first.promoted());
    awaitDeployment(older.buildId(), d -> "PROMOTED".equals(d.getString("deployment.phase")));

    Rollout second = Rollout.of(repo.name(), newer, older).after(first);
    second.publishAll(second.started(), second.stepStarted(0, 25));
    // while the newer canary takes a quarter, the older build serves the rest
    JsonPath sharing = awaitDeployment(older.buildId(), d -> d.getInt("deployment.weight") == 75);
    assertThat(sharing.getBoolean("deployment.live")).isTrue();

    second.publish(second.promoted());

    JsonPath d = awaitDeployment(older.buildId(), j -> !j.getBoolean("deployment.live"));
    assertThat(d.getString("deployment.phase")).isEqualTo("PROMOTED");
    assertThat(d.getInt("deployment.weight")).isZero();
    assertThat(d.getString("deployment.supersededBy.version")).isEqualTo("v1.1.0");
    assertThat(d.getString("deployment.supersededBy.buildId")).isEqualTo(newer.buildId());
    JsonPath n = get(newer.buildId());
    assertThat(n.getBoolean("deployment.live")).isTrue();
    assertThat(n.getInt("deployment.weight")).isEqualTo(100);
    assertThat(n.getString("deployment.replaces.buildId")).isEqualTo(older.buildId());
  }

  @Test
  void shouldChangeNothingWhenEventsAreRedeliveredOrArriveLate() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    Release build = succeededBuild(repo, "v3.0.0");
    Rollout r = Rollout.of(repo.name(), build, Rollout.foreignRelease("v2.9.0"));
    List<Evidence> evidence = goldenEvidence();
    var started = r.started();
    var step0 = r.stepStarted(0, 5);
    var oldPass = r.verdict(0, Verdict.PASS, List.of());
    var step1 = r.stepStarted(1, 25);
    var paused = r.paused(1, 25);
    var fail = r.verdict(1, Verdict.FAIL, evidence);
    r.publishAll(started, step0, oldPass, step1, paused, fail, r.rollbackRequested(1, evidence));
    Map<String, Object> before =
        awaitDeployment(
                build.buildId(),
                d ->
                    "PAUSED".equals(d.getString("deployment.phase"))
                        && "ROLLBACK_REQUESTED".equals(d.getString("deployment.verdict.action")))
            .getMap("deployment");

    // duplicates of what was applied, and reports older than what is stored
    r.publishAll(step1, fail, step0, started, oldPass);
    // then a marker on each topic's partition of this app: once both are applied, so were those
    Release next = succeededBuild(repo, "v3.0.1");
    Rollout marker = Rollout.of(repo.name(), next, Rollout.foreignRelease("v2.9.0")).after(r);
    marker.publishAll(marker.started(), marker.verdict(0, Verdict.INCONCLUSIVE, List.of()));
    awaitDeployment(marker.canary.buildId(), d -> d.get("deployment.verdict") != null);

    assertThat(get(build.buildId()).getMap("deployment")).isEqualTo(before);
  }

  @Test
  void shouldIgnoreEventsForAnUnknownBuildAndKeepConsuming() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    Release unknown = Rollout.foreignRelease("v9.9.9");
    Rollout stranger = Rollout.of(repo.name(), unknown, null).verdictsNameTheBuild();
    stranger.publishAll(
        stranger.started(),
        stranger.stepStarted(0, 5),
        stranger.verdict(0, Verdict.FAIL, goldenEvidence()),
        stranger.promoted());

    Release known = succeededBuild(repo, "v4.0.0");
    Rollout r = Rollout.of(repo.name(), known, null).after(stranger).verdictsNameTheBuild();
    r.publishAll(r.started(), r.stepStarted(0, 5), r.verdict(0, Verdict.PASS, List.of()));

    JsonPath d =
        awaitDeployment(
            known.buildId(),
            j -> j.getInt("deployment.weight") == 5 && j.get("deployment.verdict") != null);
    assertThat(d.getString("deployment.verdict.verdict")).isEqualTo("PASS");
    given()
        .header("Authorization", Forge.VIEWER)
        .get("/builds/" + unknown.buildId())
        .then()
        .statusCode(404);
  }

  @Test
  void shouldSkipMalformedEventsAndKeepConsuming() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    Release build = succeededBuild(repo, "v5.0.0");
    Rollout r = Rollout.of(repo.name(), build, Rollout.foreignRelease("v4.9.0"));
    r.publishAll(r.started(), r.stepStarted(0, 5));
    awaitDeployment(build.buildId(), d -> d.getInt("deployment.weight") == 5);

    // unreadable JSON under known types, on both topics
    publishRaw(Topics.ROLLOUT_EVENTS, repo.name(), EventTypes.ROLLOUT_STEP_STARTED, "{not json");
    publishRaw(Topics.ANALYSIS_VERDICTS, repo.name(), EventTypes.ANALYSIS_VERDICT_ISSUED, "[1,");
    // readable, but no place on a trail: a weight that is no percentage at a later step, no canary
    r.publish(r.stepStarted(2, 250));
    r.publish(
        CloudEvent.of(
            Rollout.ROLLOUT_SOURCE,
            new RolloutStepStarted(
                r.id, repo.name(), null, null, 3, 50, null, null, Instant.now(), null)));
    r.publish(
        CloudEvent.of(
            Rollout.MONITOR_SOURCE,
            new AnalysisVerdict(
                null, repo.name(), 0, "v5.0.0", null, Verdict.FAIL, null, null, null, null)));
    r.publishAll(r.stepStarted(1, 25), r.verdict(1, Verdict.PASS, List.of()));

    // had the weight-250 report at step 2 been applied, step 1 would be older and not shown
    JsonPath d =
        awaitDeployment(
            build.buildId(),
            j -> j.getInt("deployment.weight") == 25 && j.get("deployment.verdict") != null);
    assertThat(d.getInt("deployment.step")).isEqualTo(1);
    assertThat(d.getString("deployment.verdict.verdict")).isEqualTo("PASS");
  }

  private static List<Evidence> goldenEvidence() {
    return Golden.data(AnalysisVerdict.class).evidence();
  }

  /** A build of the repository that a worker reported as succeeded with {@code version}. */
  private static Release succeededBuild(Repo repo, String version) {
    Release queued = queuedBuild(repo, version);
    publishSucceeded(repo, queued);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> "SUCCEEDED".equals(get(queued.buildId()).getString("status")));
    return queued;
  }

  /** A build queued by a push, that a worker is yet to report on. */
  private static Release queuedBuild(Repo repo, String version) {
    String commit = Forge.sha();
    String id =
        Forge.sendPush(repo, "refs/heads/main", commit, "release " + version)
            .then()
            .statusCode(202)
            .extract()
            .path("build.id");
    return new Release(version, id, commit, "artifacts/" + repo.name() + "/" + version);
  }

  /** The worker's report that {@code build} succeeded, on build.events. */
  private static void publishSucceeded(Repo repo, Release build) {
    BuildSucceeded golden = Golden.data(BuildSucceeded.class);
    KafkaEvents.publish(
        Topics.BUILD_EVENTS,
        build.buildId(),
        CloudEvent.of(
            "build-worker",
            new BuildSucceeded(
                build.buildId(),
                repo.key(),
                "main",
                repo.name(),
                build.commit(),
                build.version(),
                golden.toolchain(),
                golden.artifacts(),
                golden.stageMillis(),
                golden.cache(),
                Instant.now(),
                Instant.now())));
  }

  private static void publishRaw(String topic, String key, String type, String value) {
    try (var producer =
        new KafkaProducer<String, byte[]>(
            Map.of("bootstrap.servers", GantryInfra.kafka().bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      var record =
          new ProducerRecord<String, byte[]>(topic, key, value.getBytes(StandardCharsets.UTF_8));
      record
          .headers()
          .add(EventCodec.H_TYPE, type.getBytes(StandardCharsets.UTF_8))
          .add(EventCodec.H_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
          .add(EventCodec.H_SOURCE, "test".getBytes(StandardCharsets.UTF_8));
      producer.send(record);
      producer.flush();
    }
  }

  private static JsonPath get(String buildId) {
    return given()
        .header("Authorization", Forge.VIEWER)
        .get("/builds/" + buildId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static JsonPath awaitDeployment(String buildId, Predicate<JsonPath> condition) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get(buildId), j -> j.getMap("deployment") != null && condition.test(j));
  }
}

package dev.gantry.buildworker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.gantry.events.EventTypes;
import dev.gantry.events.build.Artifact;
import dev.gantry.events.build.BuildCancelled;
import dev.gantry.events.build.BuildFailed;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildStarted;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.build.RefType;
import dev.gantry.testkit.EventRecord;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.GitFixture;
import dev.gantry.testkit.KafkaInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service as deployed: requests on build.requests, events on build.events, files on the shared
 * root.
 */
@QuarkusTest
@QuarkusTestResource(KafkaInfra.class)
class BuildWorkerTest {
  static final Path SHARED = Path.of("target", "test-shared").toAbsolutePath();
  static final String TOPIC = "build.requests";

  static String bootstrap() {
    return GantryInfra.kafka().bootstrapServers();
  }

  @Test
  void shouldBuildEveryTargetWithVersionAndCommitInjectedWhenABranchIsPushed() throws Exception {
    GitFixture repo = Samples.repo("matrix");
    String commit =
        repo.commit(
            "main",
            "matrix",
            Samples.service(
                Map.of(".gantry.yml", "targets: [linux/amd64, linux/arm64]\nvet: true\n")));
    BuildRequested req = Samples.request(repo, "matrix", commit);

    Samples.publish(bootstrap(), TOPIC, req);

    BuildSucceeded ok = Builds.await(bootstrap(), req.buildId(), BuildSucceeded.class, Builds.COLD);
    assertThat(ok.commit()).isEqualTo(commit);
    assertThat(ok.version()).matches("v0\\.0\\.0-\\d{14}-" + commit.substring(0, 12));
    assertThat(ok.toolchain()).startsWith("go version go1.");
    assertThat(ok.stageMillis())
        .containsKeys("fetch", "checkout", "modules", "vet", "build", "publish");
    assertThat(ok.artifacts())
        .extracting(Artifact::goarch)
        .containsExactlyInAnyOrder("amd64", "arm64");
    for (Artifact a : ok.artifacts()) {
      Path file = SHARED.resolve(a.path());
      assertThat(file).exists();
      assertThat(Files.size(file)).isEqualTo(a.size());
      assertThat(sha256(file)).isEqualTo(a.sha256());
      assertThat(a.path())
          .isEqualTo("artifacts/matrix/" + ok.version() + "/linux_" + a.goarch() + "/hello");
    }
    Path versionDir = SHARED.resolve("artifacts/matrix").resolve(ok.version());
    assertThat(Files.readString(versionDir.resolve("SHA256SUMS")))
        .contains(ok.artifacts().get(0).sha256() + "  linux_")
        .hasLineCount(2);
    assertThat(Files.readString(versionDir.resolve("build.json")))
        .contains(req.buildId(), commit, ok.toolchain(), "-trimpath");

    Path amd64 =
        SHARED.resolve(
            ok.artifacts().stream()
                .filter(a -> a.goarch().equals("amd64"))
                .findFirst()
                .orElseThrow()
                .path());
    assertThat(run(amd64, "version")).isEqualTo(ok.version() + " " + commit);
    assertThat(run(amd64)).isEqualTo("hello, gantry");

    List<EventRecord> events = Builds.all(bootstrap(), req.buildId());
    assertThat(events.get(0).type()).isEqualTo(EventTypes.BUILD_STARTED);
    assertThat(events.get(0).data(BuildStarted.class).worker()).isEqualTo("test-worker-1");
    assertThat(Files.readString(SHARED.resolve("logs/builds/" + req.buildId() + ".log")))
        .contains("go build", "SUCCEEDED");
  }

  @Test
  void shouldUseTheTagAsVersionWhenATagIsBuilt() throws Exception {
    // an app of its own: v1.4.0 of an app published by an earlier run is never overwritten
    String app = "tagged-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    GitFixture repo = Samples.repo(app);
    String commit = repo.commit("main", "release", Samples.service(Map.of()));
    repo.tag("v1.4.0", commit);
    BuildRequested req =
        Samples.request(repo, app, "refs/tags/v1.4.0", RefType.TAG, "v1.4.0", commit, "v1.4.0");

    Samples.publish(bootstrap(), TOPIC, req);

    BuildSucceeded ok = Builds.await(bootstrap(), req.buildId(), BuildSucceeded.class, Builds.COLD);
    assertThat(ok.version()).isEqualTo("v1.4.0");
    assertThat(run(SHARED.resolve(ok.artifacts().get(0).path()), "version"))
        .isEqualTo("v1.4.0 " + commit);
  }

  @Test
  void shouldFailAtBuildWithTheCompilerMessageWhenTheCodeDoesNotCompile() {
    GitFixture repo = Samples.repo("broken");
    String commit =
        repo.commit(
            "main",
            "typo",
            Samples.service(
                Map.of("main.go", Samples.MAIN_GO.replace("fmt.Println(", "fmt.Printn("))));
    BuildRequested req = Samples.request(repo, "broken", commit);

    Samples.publish(bootstrap(), TOPIC, req);

    BuildFailed failed = Builds.await(bootstrap(), req.buildId(), BuildFailed.class, Builds.COLD);
    assertThat(failed.stage()).isEqualTo("build");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(String.join("\n", failed.logTail())).contains("undefined: fmt.Printn");
    assertThat(SHARED.resolve("artifacts/broken")).doesNotExist();
  }

  @Test
  void shouldStopARunningBuildAndSkipAQueuedOneWhenTheyAreCancelled() throws Exception {
    // the worker runs two builds at once: two slow ones fill it, the third waits in the topic
    Path pids = Files.createDirectories(Samples.ROOT.resolve("pids"));
    Path pidA = pids.resolve(java.util.UUID.randomUUID() + ".pid");
    Path pidB = pids.resolve(java.util.UUID.randomUUID() + ".pid");
    BuildRequested a = slowBuild("slow-a", pidA);
    BuildRequested b = slowBuild("slow-b", pidB);
    GitFixture queuedRepo = Samples.repo("queued");
    BuildRequested queued =
        Samples.request(
            queuedRepo, "queued", queuedRepo.commit("main", "queued", Samples.service(Map.of())));
    Samples.publish(bootstrap(), TOPIC, a);
    Samples.publish(bootstrap(), TOPIC, b);
    await().atMost(Builds.COLD).until(() -> Files.exists(pidA) && Files.exists(pidB));
    Samples.publish(bootstrap(), TOPIC, queued);
    Samples.cancel(bootstrap(), TOPIC, queued, "cancelled by a test while queued");

    long pid = Long.parseLong(Files.readString(pidA).strip());
    assertThat(alive(pid)).isTrue();
    Instant cancelledAt = Instant.now();
    Samples.cancel(bootstrap(), TOPIC, a, "cancelled by a test while running");

    BuildCancelled cancelled =
        Builds.await(bootstrap(), a.buildId(), BuildCancelled.class, Duration.ofSeconds(30));
    assertThat(cancelled.reason()).contains("cancelled by a test while running");
    assertThat(Duration.between(cancelledAt, cancelled.finishedAt()))
        .isLessThan(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> !alive(pid));

    // the queued build is taken once a slot is free, and skipped: it never starts
    BuildCancelled skipped =
        Builds.await(bootstrap(), queued.buildId(), BuildCancelled.class, Duration.ofSeconds(60));
    assertThat(skipped.reason()).contains("while queued");
    Samples.cancel(bootstrap(), TOPIC, b, "cleaning up");
    Builds.await(bootstrap(), b.buildId(), BuildCancelled.class, Duration.ofSeconds(30));

    assertThat(Builds.all(bootstrap(), queued.buildId()))
        .extracting(EventRecord::type)
        .containsExactly(EventTypes.BUILD_CANCELLED);
    assertThat(Builds.all(bootstrap(), a.buildId()))
        .extracting(EventRecord::type)
        .containsExactly(EventTypes.BUILD_STARTED, EventTypes.BUILD_CANCELLED);
    assertThat(SHARED.resolve("artifacts/slow-a")).doesNotExist();
    assertThat(SHARED.resolve("artifacts/queued")).doesNotExist();
    assertThat(Files.readString(SHARED.resolve("logs/builds/" + a.buildId() + ".log")))
        .contains("CANCELLED");
  }

  @Test
  void shouldFailNamingTheFileLineAndColumnWhenGantryYmlDoesNotParse() {
    BuildFailed failed =
        failedBuild(
            "badyaml",
            Samples.service(Map.of(".gantry.yml", "targets: [linux/amd64\nvet: yes please\n")));
    assertThat(failed.stage()).isEqualTo("config");
    assertThat(failed.message()).startsWith(".gantry.yml, line ").contains("column");

    failed =
        failedBuild("typoyaml", Samples.service(Map.of(".gantry.yml", "tragets: [linux/amd64]\n")));
    assertThat(failed.message()).contains(".gantry.yml", "unknown key 'tragets'");

    failed =
        failedBuild("badtarget", Samples.service(Map.of(".gantry.yml", "targets: [plan10/z80]\n")));
    assertThat(failed.message()).contains(".gantry.yml", "plan10/z80");
  }

  @Test
  void shouldFailSayingWhyWhenTheRepositoryHasNoGoModuleOrABrokenGoMod() {
    BuildFailed failed = failedBuild("nogo", Map.of("README.md", "no Go here\n"));
    assertThat(failed.stage()).isEqualTo("config");
    assertThat(failed.message()).contains("go.mod");

    failed =
        failedBuild(
            "brokenmod",
            Samples.service(Map.of("go.mod", "module example.com/hello\n\ngo 1.21\nrequire (\n")));
    assertThat(failed.message() + String.join("\n", failed.logTail())).contains("go.mod:");
    assertThat(SHARED.resolve("artifacts/brokenmod")).doesNotExist();
  }

  @Test
  void shouldRejectABadCommitOrAForbiddenCloneUrlBeforeRunningAnything() {
    GitFixture repo = Samples.repo("hostile");
    String commit = repo.commit("main", "fine", Samples.service(Map.of()));
    BuildRequested good = Samples.request(repo, "hostile", commit);
    BuildRequested badCommit =
        new BuildRequested(
            good.buildId(),
            good.repoId(),
            good.repo(),
            good.cloneUrl(),
            good.provider(),
            good.ref(),
            good.refType(),
            good.refName(),
            "--upload-pack=touch /tmp/pwned",
            null,
            good.appName(),
            good.message(),
            good.author(),
            good.trigger(),
            good.requestedAt());
    Samples.publish(bootstrap(), TOPIC, badCommit);
    BuildFailed failed =
        Builds.await(bootstrap(), badCommit.buildId(), BuildFailed.class, Duration.ofSeconds(60));
    assertThat(failed.stage()).isEqualTo("request");
    assertThat(failed.message()).contains("not a full 40-hex sha");

    BuildRequested extUrl =
        new BuildRequested(
            java.util.UUID.randomUUID().toString(),
            good.repoId(),
            "local/test/ext",
            "ext::/usr/bin/touch",
            good.provider(),
            good.ref(),
            good.refType(),
            good.refName(),
            commit,
            null,
            "ext",
            good.message(),
            good.author(),
            good.trigger(),
            good.requestedAt());
    Samples.publish(bootstrap(), TOPIC, extUrl);
    failed = Builds.await(bootstrap(), extUrl.buildId(), BuildFailed.class, Duration.ofSeconds(60));
    assertThat(failed.stage()).isEqualTo("request");
    assertThat(failed.message()).contains("scheme 'ext' is not allowed");
    assertThat(SHARED.resolve("git/local/test/ext.git")).doesNotExist();
    assertThat(Path.of("/tmp/pwned")).doesNotExist();
  }

  @Test
  void shouldReportHealthAndBuildMetrics() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/live").then().statusCode(200);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains(
            "gantry_worker_builds_running",
            "gantry_worker_capacity",
            "gantry_worker_queue",
            "gantry_worker_cache_hit_ratio");
  }

  private BuildRequested slowBuild(String app, Path pidFile) {
    GitFixture repo = Samples.repo(app);
    Map<String, String> files = new java.util.HashMap<>(Samples.service(Map.of()));
    files.putAll(Samples.slowTest(pidFile, 120));
    return Samples.request(repo, app, repo.commit("main", "slow", files));
  }

  private BuildFailed failedBuild(String app, Map<String, String> files) {
    GitFixture repo = Samples.repo(app);
    BuildRequested req = Samples.request(repo, app, repo.commit("main", app, files));
    Samples.publish(bootstrap(), TOPIC, req);
    return Builds.await(bootstrap(), req.buildId(), BuildFailed.class, Builds.COLD);
  }

  /** Running, and not a zombie waiting for a parent to reap it. */
  static boolean alive(long pid) throws java.io.IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      String s = Files.readString(stat);
      return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
  }

  static String run(Path binary, String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of(binary.toString()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}

package dev.gantry.buildworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.buildworker.build.Workspace;
import dev.gantry.buildworker.domain.WorkerSettings;
import dev.gantry.buildworker.messaging.WorkerEngine;
import dev.gantry.events.EventTypes;
import dev.gantry.events.build.BuildFailed;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildStarted;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.testkit.EventRecord;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.GitFixture;
import dev.gantry.testkit.KafkaInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Workers that die or run too long: nothing half-published, nothing lost, nothing left running. */
@QuarkusTest
@QuarkusTestResource(KafkaInfra.class)
class CrashRecoveryTest {
  static final Path SHARED = Workers.SHARED;

  static String bootstrap() {
    return GantryInfra.kafka().bootstrapServers();
  }

  @Test
  void shouldCompleteABuildOnAnotherWorkerWhenItsWorkerIsKilledMidBuild() throws Exception {
    String topic = Workers.topic("crash");
    WorkerSettings first = Workers.settings("doomed", topic, Samples.proxy().url());
    Path pidFile = Samples.ROOT.resolve("pids").resolve(UUID.randomUUID() + ".pid");
    Files.createDirectories(pidFile.getParent());
    // the first attempt sleeps in its test stage; the retry, once the gate is gone, does not
    Path gate = Files.createFile(pidFile.resolveSibling(UUID.randomUUID() + ".gate"));
    // an app of its own: an earlier run's published version would make the first check fail
    String app = "crashed-" + UUID.randomUUID().toString().substring(0, 8);
    BuildRequested req = slowBuild(app, pidFile, 600, gate);

    Process doomed =
        ChildWorker.start(first, Samples.ROOT.resolve("child-" + UUID.randomUUID() + ".log"));
    long orphan;
    try {
      Samples.publish(bootstrap(), topic, req);
      // the build is in its test stage: the source is checked out, modules are in, Go runs
      await().atMost(Builds.COLD).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
      orphan = Long.parseLong(Files.readString(pidFile).strip());
    } finally {
      doomed.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the group
      doomed.waitFor();
    }
    assertThat(BuildWorkerTest.alive(orphan)).as("the build's processes outlive the JVM").isTrue();
    assertThat(SHARED.resolve("artifacts/" + app)).doesNotExist();

    // another worker in the same group gets the request once the dead one's session expires
    Files.delete(gate);
    try (WorkerEngine survivor =
        Workers.start(Workers.settings("survivor", topic, Samples.proxy().url()))) {
      BuildSucceeded ok =
          Builds.await(bootstrap(), req.buildId(), BuildSucceeded.class, Builds.COLD);
      assertThat(ok.artifacts()).hasSize(1);
      assertThat(SHARED.resolve(ok.artifacts().get(0).path())).exists();
    }
    List<EventRecord> events = Builds.all(bootstrap(), req.buildId());
    assertThat(events)
        .extracting(EventRecord::type)
        .containsExactly(
            EventTypes.BUILD_STARTED, EventTypes.BUILD_STARTED, EventTypes.BUILD_SUCCEEDED);
    assertThat(events.get(0).data(BuildStarted.class).worker()).isEqualTo("doomed");
    assertThat(events.get(1).data(BuildStarted.class).worker()).isEqualTo("survivor");
    try (Stream<Path> versions = Files.list(SHARED.resolve("artifacts/" + app))) {
      assertThat(versions.map(p -> p.getFileName().toString()))
          .as("one version, no staging folder left in sight")
          .hasSize(1)
          .noneMatch(n -> n.startsWith("."));
    }

    // when the killed worker starts again on its host, it stops what it left running
    int reaped = Workspace.reapStale(first.localDir());
    assertThat(reaped).isGreaterThanOrEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> !BuildWorkerTest.alive(orphan));
    try (Stream<Path> left = Files.list(first.localDir().resolve("workspaces"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void shouldFailABuildThatRunsPastTheTimeLimitAndStopItsProcesses() throws Exception {
    String topic = Workers.topic("limits");
    WorkerSettings settings =
        Workers.settings("limited", topic, Samples.proxy().url())
            .withBuildTimeout(Duration.ofSeconds(60));
    Path pidFile = Samples.ROOT.resolve("pids").resolve(UUID.randomUUID() + ".pid");
    Files.createDirectories(pidFile.getParent());
    BuildRequested req = slowBuild("too-slow", pidFile, 600, null);
    try (WorkerEngine limited = Workers.start(settings)) {
      Samples.publish(bootstrap(), topic, req);
      BuildFailed failed = Builds.await(bootstrap(), req.buildId(), BuildFailed.class, Builds.COLD);
      assertThat(failed.message()).contains("timed out", "60 s", "gantry.worker.build-timeout");
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      await().atMost(Duration.ofSeconds(5)).until(() -> !BuildWorkerTest.alive(pid));
    }
    assertThat(SHARED.resolve("artifacts/too-slow")).doesNotExist();
  }

  private static BuildRequested slowBuild(String app, Path pidFile, int seconds, Path gate) {
    GitFixture repo = Samples.repo(app);
    Map<String, String> files = new HashMap<>(Samples.service(Map.of()));
    files.putAll(Samples.slowTest(pidFile, seconds, gate));
    return Samples.request(repo, app, repo.commit("main", app, files));
  }
}

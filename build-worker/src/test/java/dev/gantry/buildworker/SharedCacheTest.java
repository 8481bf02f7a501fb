package dev.gantry.buildworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.buildworker.messaging.WorkerEngine;
import dev.gantry.events.build.Artifact;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.build.CacheStats;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.GitFixture;
import dev.gantry.testkit.KafkaInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Several workers on one shared root, as on N hosts sharing one NFS export: what one compiles or
 * downloads, the others reuse; what is damaged there, nobody uses.
 */
@QuarkusTest
@QuarkusTestResource(KafkaInfra.class)
class SharedCacheTest {
  static final Path SHARED = Workers.SHARED;

  static String bootstrap() {
    return GantryInfra.kafka().bootstrapServers();
  }

  @Test
  void shouldBuildByteIdenticalBinariesOnTwoWorkersAtOnceAndServeAFreshWorkerFromTheSharedTier()
      throws Exception {
    // a module of its own, so nothing of it is in any cache yet
    GitFixture repo = Samples.repo("twins");
    String commit = repo.commit("main", "twins", Samples.service(uniqueMain("twins")));
    String topicA = Workers.topic("twin-a");
    String topicB = Workers.topic("twin-b");
    String topicC = Workers.topic("fresh-c");
    BuildSucceeded okA;
    try (WorkerEngine a = Workers.start(Workers.settings("twin-a", topicA, Samples.proxy().url()));
        WorkerEngine b = Workers.start(Workers.settings("twin-b", topicB, Samples.proxy().url()))) {
      BuildRequested forA = Samples.request(repo, "twin-a", commit);
      BuildRequested forB = Samples.request(repo, "twin-b", commit);
      // the same commit at the same moment: both fetch into one mirror, both publish modules
      Samples.publish(bootstrap(), topicA, forA);
      Samples.publish(bootstrap(), topicB, forB);

      okA = Builds.await(bootstrap(), forA.buildId(), BuildSucceeded.class, Builds.COLD);
      BuildSucceeded okB =
          Builds.await(bootstrap(), forB.buildId(), BuildSucceeded.class, Builds.COLD);
      assertThat(okA.version()).isEqualTo(okB.version());
      assertThat(bytes(okA)).isEqualTo(bytes(okB));
      assertThat(okA.artifacts().get(0).sha256()).isEqualTo(okB.artifacts().get(0).sha256());
    }

    // a third worker with an empty local disk and no upstream proxy at all: every module comes
    // from the shared module cache, every compile action from the shared build cache
    try (WorkerEngine c = Workers.start(Workers.settings("fresh-c", topicC, "off"))) {
      BuildRequested forC = Samples.request(repo, "fresh-c", commit);
      Samples.publish(bootstrap(), topicC, forC);
      BuildSucceeded okC =
          Builds.await(bootstrap(), forC.buildId(), BuildSucceeded.class, Builds.COLD);
      CacheStats stats = okC.cache();
      // every package compiled by A or B is served; what misses is the go command's own
      // bookkeeping keyed by this worker's paths (its module index), which is not compiling
      assertThat(stats.compileHits()).as(stats.toString()).isGreaterThan(20);
      assertThat(stats.compileHitRatio()).as(stats.toString()).isGreaterThanOrEqualTo(0.99);
      assertThat(stats.compileMisses()).as(stats.toString()).isZero();
      assertThat(stats.sharedHits()).as(stats.toString()).isEqualTo(stats.hits());
      assertThat(stats.quarantined()).isZero();
      assertThat(okC.artifacts().get(0).sha256()).isEqualTo(okA.artifacts().get(0).sha256());
      assertThat(Files.readString(SHARED.resolve("logs/builds/" + forC.buildId() + ".log")))
          .doesNotContain("published 3 module file(s)");
    }
  }

  @Test
  void shouldQuarantineADamagedSharedObjectAndBuildTheSameBinaryWithoutIt() throws Exception {
    GitFixture repo = Samples.repo("damaged");
    String commit = repo.commit("main", "damaged", Samples.service(uniqueMain("damaged")));
    String topicA = Workers.topic("first");
    String topicD = Workers.topic("after-damage");
    BuildSucceeded first;
    Set<Path> before = objects();
    try (WorkerEngine a = Workers.start(Workers.settings("first", topicA, Samples.proxy().url()))) {
      BuildRequested req = Samples.request(repo, "first", commit);
      Samples.publish(bootstrap(), topicA, req);
      first = Builds.await(bootstrap(), req.buildId(), BuildSucceeded.class, Builds.COLD);
    }
    Set<Path> added = new HashSet<>(objects());
    added.removeAll(before);
    assertThat(added).as("objects the first build published").isNotEmpty();
    for (Path object : added) {
      flipLastByte(object); // same size: only the hash can tell
    }

    try (WorkerEngine d =
        Workers.start(Workers.settings("after-damage", topicD, Samples.proxy().url()))) {
      BuildRequested req = Samples.request(repo, "after-damage", commit);
      Samples.publish(bootstrap(), topicD, req);
      BuildSucceeded ok =
          Builds.await(bootstrap(), req.buildId(), BuildSucceeded.class, Builds.COLD);
      assertThat(ok.cache().quarantined()).isGreaterThanOrEqualTo(1);
      assertThat(ok.artifacts().get(0).sha256()).isEqualTo(first.artifacts().get(0).sha256());
    }
    try (Stream<Path> q = Files.walk(SHARED.resolve("gocache/quarantine"))) {
      assertThat(q.filter(Files::isRegularFile).count()).isGreaterThanOrEqualTo(1);
    }
  }

  /** The sample service, with a constant no other test has, so its compile is new. */
  static Map<String, String> uniqueMain(String name) {
    return Map.of(
        "unique.go",
        "package main\n\nimport \"os\"\n\nfunc init() {\n\tif len(os.Args) > 99 {\n\t\tprintln(\""
            + name
            + "-"
            + UUID.randomUUID()
            + "\")\n\t}\n}\n");
  }

  static Set<Path> objects() throws Exception {
    Path tier = SHARED.resolve("gocache/v1");
    if (!Files.isDirectory(tier)) {
      return Set.of();
    }
    try (Stream<Path> walk = Files.walk(tier)) {
      return new HashSet<>(
          walk.filter(
                  p ->
                      Files.isRegularFile(p)
                          && p.getParent().getParent().getFileName().toString().equals("o"))
              .toList());
    }
  }

  static void flipLastByte(Path file) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      if (f.length() == 0) {
        return;
      }
      f.seek(f.length() - 1);
      int b = f.read();
      f.seek(f.length() - 1);
      f.write(b ^ 0xff);
    }
  }

  static byte[] bytes(BuildSucceeded ok) throws Exception {
    List<Artifact> artifacts = ok.artifacts();
    return Files.readAllBytes(SHARED.resolve(artifacts.get(0).path()));
  }
}

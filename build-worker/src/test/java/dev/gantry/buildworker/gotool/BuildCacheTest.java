package dev.gantry.buildworker.gotool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two tiers on plain folders: what one worker stores, another reads, checked. */
class BuildCacheTest {
  static final String NS = "go1.23.5-linux-amd64";
  static final byte[] ACTION = sha("action");
  static final byte[] BODY = "!<arch>\npackage object bytes\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  BuildCache worker(String name) {
    return new BuildCache(dir.resolve(name), dir.resolve("shared"), NS);
  }

  void putAndPublish(BuildCache cache, CacheStatsCounter stats) throws IOException {
    cache.put(ACTION, sha(BODY), BODY.length, new ByteArrayInputStream(BODY), stats);
    cache.publish(ACTION, sha(BODY), stats);
  }

  @Test
  void shouldServeWhatOneWorkerPublishedToAnotherAndCopyItLocallyAfterTheBuild() throws Exception {
    putAndPublish(worker("a"), new CacheStatsCounter());
    BuildCache b = worker("b");
    CacheStatsCounter stats = new CacheStatsCounter();
    Queue<Runnable> fills = new ConcurrentLinkedQueue<>();

    Optional<BuildCache.Hit> hit = b.get(ACTION, stats, fills);

    assertThat(hit).isPresent();
    assertThat(hit.get().shared()).isTrue();
    assertThat(hit.get().outputId()).isEqualTo(sha(BODY));
    assertThat(Files.readAllBytes(hit.get().diskPath())).isEqualTo(BODY);
    assertThat(stats.sharedHits()).isEqualTo(1);
    assertThat(fills).hasSize(1);

    b.fill(fills);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                b.get(ACTION, new CacheStatsCounter(), new ConcurrentLinkedQueue<>())
                    .map(h -> !h.shared())
                    .orElse(false));
  }

  @Test
  void shouldQuarantineASharedObjectWhoseBytesChangedAndAnswerAMiss() throws Exception {
    putAndPublish(worker("a"), new CacheStatsCounter());
    Path object;
    try (Stream<Path> files =
        Files.walk(dir.resolve("shared/gocache/v1").resolve(NS).resolve("o"))) {
      object = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
      f.seek(3);
      f.write('X'); // same size: only the checksum can tell
    }
    CacheStatsCounter stats = new CacheStatsCounter();

    Optional<BuildCache.Hit> hit = worker("b").get(ACTION, stats, new ConcurrentLinkedQueue<>());

    assertThat(hit).isEmpty();
    assertThat(stats.quarantined()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(1);
    assertThat(object).doesNotExist();
    try (Stream<Path> q = Files.list(dir.resolve("shared/gocache/quarantine").resolve(NS))) {
      assertThat(q).hasSize(1);
    }
  }

  @Test
  void shouldQuarantineAGarbledEntry() throws Exception {
    putAndPublish(worker("a"), new CacheStatsCounter());
    Path entry;
    try (Stream<Path> files =
        Files.walk(dir.resolve("shared/gocache/v1").resolve(NS).resolve("a"))) {
      entry = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    Files.writeString(entry, "v2 not-a-hash 12\n");
    CacheStatsCounter stats = new CacheStatsCounter();

    assertThat(worker("b").get(ACTION, stats, new ConcurrentLinkedQueue<>())).isEmpty();
    assertThat(stats.quarantined()).isEqualTo(1);
  }

  @Test
  void shouldTakeAnEntryOfAnOlderWorkerForAMissNotForDamageAndReplaceItOnPublish()
      throws Exception {
    putAndPublish(worker("a"), new CacheStatsCounter());
    Path entry;
    try (Stream<Path> files =
        Files.walk(dir.resolve("shared/gocache/v1").resolve(NS).resolve("a"))) {
      entry = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    String current = Files.readString(entry);
    // the format before CRC-32C: version, output id, size, time
    Files.writeString(entry, "v1 " + current.split(" ")[1] + " " + BODY.length + " 1\n");
    CacheStatsCounter stats = new CacheStatsCounter();

    assertThat(worker("b").get(ACTION, stats, new ConcurrentLinkedQueue<>())).isEmpty();
    assertThat(stats.quarantined()).isZero();
    assertThat(entry).exists();

    putAndPublish(worker("c"), new CacheStatsCounter());
    assertThat(Files.readString(entry)).startsWith("v2 ");
    assertThat(worker("d").get(ACTION, new CacheStatsCounter(), new ConcurrentLinkedQueue<>()))
        .isPresent();
  }

  @Test
  void shouldRefuseAPutWhoseBytesDoNotMatchTheOutputIdTheGoCommandGave() {
    BuildCache a = worker("a");
    assertThatThrownBy(
            () ->
                a.put(
                    ACTION,
                    sha("something else"),
                    BODY.length,
                    new ByteArrayInputStream(BODY),
                    new CacheStatsCounter()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("hashes to");
  }

  @Test
  void shouldTellCompiledPackagesFromOtherOutputs() throws Exception {
    Path archive = Files.write(dir.resolve("a.a"), BODY);
    Path index = Files.writeString(dir.resolve("index"), "go index v2\n");
    assertThat(CacheProgServer.isPackageArchive(archive)).isTrue();
    assertThat(CacheProgServer.isPackageArchive(index)).isFalse();
  }

  static byte[] sha(String s) {
    return sha(s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.gantry.buildworker.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gantry.events.EventCodec;
import dev.gantry.events.build.Artifact;
import dev.gantry.events.id.AppName;
import dev.gantry.events.id.Version;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Puts a build's binaries under {@code <root>/artifacts/<app>/<version>/}: staged in a hidden
 * sibling folder with {@code SHA256SUMS} and {@code build.json}, every file fsynced, then renamed
 * into place in one step. A version that exists is never overwritten: the same commit's identical
 * binaries (a redelivered build) are accepted as already published; anything else fails.
 */
public final class ArtifactPublisher {
  private static final Duration STALE_STAGING = Duration.ofDays(1);
  private static final ObjectMapper JSON =
      EventCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

  /** One binary built into the workspace. */
  public record Built(String goos, String goarch, String binary, Path file) {}

  /** The outcome: the artifacts as published, and whether an earlier attempt already had. */
  public record Published(List<Artifact> artifacts, boolean alreadyThere) {}

  private final Path sharedRoot;

  public ArtifactPublisher(Path sharedRoot) {
    this.sharedRoot = sharedRoot;
  }

  /** An {@link AppName} and a {@link Version} are one path element each: nothing else gets in. */
  public Path versionDir(String app, String version) {
    return sharedRoot
        .resolve("artifacts")
        .resolve(AppName.parse(app).value())
        .resolve(Version.parse(version).value());
  }

  /**
   * @param manifest build.json without the artifacts, which are added here
   */
  public Published publish(
      String app,
      String version,
      String commit,
      List<Built> built,
      java.util.Map<String, Object> manifest)
      throws IOException, StageFailure {
    Path target = versionDir(app, version);
    Path appDir = target.getParent();
    Files.createDirectories(appDir);
    removeStaleStaging(appDir);
    Path stage = appDir.resolve(".stage-" + version + "-" + UUID.randomUUID());
    List<Artifact> artifacts = new ArrayList<>();
    try {
      StringBuilder sums = new StringBuilder();
      for (Built b :
          built.stream()
              .sorted(Comparator.comparing(x -> x.goos() + "_" + x.goarch() + "/" + x.binary()))
              .toList()) {
        String rel = b.goos() + "_" + b.goarch() + "/" + b.binary();
        Path file = stage.resolve(rel);
        Files.createDirectories(file.getParent());
        String sha = copyDurably(b.file(), file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r-xr-xr-x"));
        long size = Files.size(file);
        artifacts.add(
            new Artifact(
                sharedRoot.relativize(target.resolve(rel)).toString(),
                sha,
                size,
                b.goos(),
                b.goarch(),
                b.binary()));
        sums.append(sha).append("  ").append(rel).append('\n');
      }
      writeDurably(stage.resolve("SHA256SUMS"), sums.toString().getBytes(StandardCharsets.UTF_8));
      java.util.Map<String, Object> full = new java.util.LinkedHashMap<>(manifest);
      full.put("artifacts", artifacts);
      writeDurably(stage.resolve("build.json"), JSON.writeValueAsBytes(full));
      if (Files.exists(target)) {
        return existing(target, commit, artifacts);
      }
      try {
        Files.move(stage, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (Files.exists(target)) {
          return existing(target, commit, artifacts); // another worker won the race
        }
        throw e;
      }
      return new Published(artifacts, false);
    } finally {
      deleteTree(stage);
    }
  }

  private Published existing(Path target, String commit, List<Artifact> ours)
      throws IOException, StageFailure {
    JsonNode there = JSON.readTree(target.resolve("build.json").toFile());
    String theirCommit = there.path("commit").asText();
    List<Artifact> theirs = new ArrayList<>();
    for (JsonNode a : there.path("artifacts")) {
      theirs.add(JSON.treeToValue(a, Artifact.class));
    }
    if (!theirCommit.equals(commit)) {
      throw new StageFailure(
          "publish",
          null,
          "version "
              + target.getFileName()
              + " of this app was already published from commit "
              + theirCommit
              + "; artifacts are never overwritten");
    }
    if (!sameBinaries(theirs, ours)) {
      throw new StageFailure(
          "publish",
          null,
          "version "
              + target.getFileName()
              + " was already published from this commit with"
              + " different binaries (a non-reproducible build?); artifacts are never overwritten");
    }
    return new Published(theirs, true);
  }

  private static boolean sameBinaries(List<Artifact> a, List<Artifact> b) {
    Comparator<Artifact> byPath = Comparator.comparing(Artifact::path);
    List<String> x = a.stream().sorted(byPath).map(t -> t.path() + " " + t.sha256()).toList();
    List<String> y = b.stream().sorted(byPath).map(t -> t.path() + " " + t.sha256()).toList();
    return x.equals(y);
  }

  /** A staging folder left by a worker that died while publishing. */
  private static void removeStaleStaging(Path appDir) throws IOException {
    Instant cutoff = Instant.now().minus(STALE_STAGING);
    try (Stream<Path> list = Files.list(appDir)) {
      for (Path p : list.filter(p -> p.getFileName().toString().startsWith(".stage-")).toList()) {
        if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
          deleteTree(p);
        }
      }
    }
  }

  static String copyDurably(Path from, Path to) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(from), sha);
        FileChannel out =
            FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      in.transferTo(Channels.newOutputStream(out));
      out.force(true);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void writeDurably(Path to, byte[] content) throws IOException {
    try (FileChannel out =
        FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(java.nio.ByteBuffer.wrap(content));
      out.force(true);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        p.toFile().setWritable(true);
        Files.deleteIfExists(p);
      }
    }
  }
}

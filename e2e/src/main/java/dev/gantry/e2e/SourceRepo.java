package dev.gantry.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A developer's repository of the sample service and the forge's copy of it: a work tree whose
 * commits are pushed to a bare repository that build-api clones over {@code file://}. git runs with
 * argument lists, never through a shell, and with no user or system configuration.
 */
final class SourceRepo {
  private static final Pattern FAULT = Pattern.compile("const fault = \"[a-z-]*\"");
  private static final Pattern GREETING = Pattern.compile("const greeting = \"[^\"]*\"");

  private final Path work;
  private final Path forge;

  private SourceRepo(Path work, Path forge) {
    this.work = work;
    this.forge = forge;
  }

  /**
   * Copies {@code example} into {@code dir/work}, commits it and pushes it to {@code
   * dir/forge.git}.
   */
  static SourceRepo create(Path example, Path dir) {
    if (!Files.isRegularFile(example.resolve("go.mod"))) {
      throw new IllegalStateException(example + " holds no Go module (go.mod)");
    }
    try {
      Path work = Files.createDirectories(dir.resolve("work"));
      Path forge = dir.resolve("forge.git");
      copyTree(example, work);
      SourceRepo repo = new SourceRepo(work, forge);
      repo.git(dir, "init", "--quiet", "--bare", "--initial-branch=main", forge.toString());
      repo.git(work, "init", "--quiet", "--initial-branch=main");
      repo.git(work, "remote", "add", "forge", forge.toString());
      return repo;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What build-api is told to clone. */
  String cloneUrl() {
    return forge.toUri().toString().replaceFirst("^file:/+", "file:///");
  }

  /**
   * Sets the fault and greeting of the sample, commits and pushes to the forge.
   *
   * @return the new commit
   */
  Commit commitAndPush(String fault, String greeting, String message) {
    rewrite("fault.go", FAULT, "const fault = \"" + fault + "\"");
    rewrite("release.go", GREETING, "const greeting = \"" + greeting + "\"");
    git(work, "add", "--all");
    git(work, "commit", "--quiet", "--allow-empty", "-m", message);
    String sha = git(work, "rev-parse", "HEAD").strip();
    String before = git(work, "rev-parse", "--verify", "--quiet", "HEAD~1").strip();
    git(work, "push", "--quiet", "forge", "main");
    return new Commit(sha, before.isEmpty() ? "0".repeat(40) : before, message, Instant.now());
  }

  record Commit(String sha, String before, String message, Instant pushedAt) {
    String shortSha() {
      return sha.substring(0, 12);
    }
  }

  private void rewrite(String file, Pattern pattern, String replacement) {
    Path path = work.resolve(file);
    try {
      String source = Files.readString(path);
      Matcher m = pattern.matcher(source);
      if (!m.find()) {
        throw new IllegalStateException(path + " has no line matching " + pattern);
      }
      Files.writeString(path, m.replaceFirst(Matcher.quoteReplacement(replacement)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String git(Path dir, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("git");
    argv.addAll(
        List.of(
            "-c", "user.name=Gantry Demo",
            "-c", "user.email=demo@gantry.invalid",
            "-c", "commit.gpgsign=false"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_TERMINAL_PROMPT", "0");
    try {
      Process p = pb.redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      // rev-parse --verify --quiet of a missing parent answers 1 and nothing: the first commit
      if (code != 0 && !(args[0].equals("rev-parse") && out.isBlank())) {
        throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("git is needed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}

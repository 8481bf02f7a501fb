package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bare git repository that tests can point a clone URL at, written through a work clone with the
 * real {@code git}. The identity and config are fixed, so it behaves the same on a fresh machine.
 */
public final class GitFixture {
  private static final long TIMEOUT_SECONDS = 60;

  private final Path bareDir;
  private final Path workDir;

  private GitFixture(Path bareDir, Path workDir) {
    this.bareDir = bareDir;
    this.workDir = workDir;
  }

  /** Creates {@code dir/origin.git} (bare) and {@code dir/work} (its clone). */
  public static GitFixture createBare(Path dir) {
    Path root = dir.toAbsolutePath();
    Path bare = root.resolve("origin.git");
    Path work = root.resolve("work");
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run(root, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
    run(root, "clone", "--quiet", bare.toUri().toString(), work.toString());
    return new GitFixture(bare, work);
  }

  /**
   * Commits {@code files} (path relative to the repository root → content) on {@code branch} and
   * pushes it. A new branch starts from the last commit made through this fixture.
   *
   * @return the full sha of the new commit
   */
  public String commit(String branch, String message, Map<String, String> files) {
    checkout(branch);
    try {
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path path = workDir.resolve(file.getKey()).normalize();
        if (!path.startsWith(workDir)) {
          throw new IllegalArgumentException("outside the repository: " + file.getKey());
        }
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git("add", "--all");
    git("commit", "--quiet", "--allow-empty", "-m", message);
    git("push", "--quiet", "origin", "refs/heads/" + branch + ":refs/heads/" + branch);
    return git("rev-parse", "HEAD");
  }

  /**
   * Creates the annotated tag {@code name} on {@code sha} and pushes it.
   *
   * @return the id {@code refs/tags/<name>} points at: the tag object, as a forge reports it;
   *     {@code <name>^{}} peels it to the commit
   */
  public String tag(String name, String sha) {
    git("tag", "--annotate", "-m", name, name, sha);
    git("push", "--quiet", "origin", "refs/tags/" + name);
    return git("rev-parse", "refs/tags/" + name);
  }

  /** The clone URL of the bare repository: {@code file:///…/origin.git}. */
  public String url() {
    String uri = bareDir.toUri().toString(); // file:///…/origin.git/ for a directory
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  public Path bareDir() {
    return bareDir;
  }

  private void checkout(String branch) {
    if (succeeds(workDir, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch)) {
      git("checkout", "--quiet", branch);
    } else if (succeeds(workDir, "rev-parse", "--verify", "--quiet", "HEAD")) {
      git("checkout", "--quiet", "-b", branch);
    } else {
      git("symbolic-ref", "HEAD", "refs/heads/" + branch);
    }
  }

  private String git(String... args) {
    return run(workDir, args);
  }

  private static boolean succeeds(Path dir, String... args) {
    return exec(dir, args).exitCode() == 0;
  }

  private static String run(Path dir, String... args) {
    Result result = exec(dir, args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "git "
              + String.join(" ", args)
              + " failed ("
              + result.exitCode()
              + "): "
              + result.output());
    }
    return result.output().strip();
  }

  private record Result(int exitCode, String output) {}

  private static Result exec(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("GIT_AUTHOR_NAME", "Gantry Test");
    env.put("GIT_AUTHOR_EMAIL", "test@gantry.invalid");
    env.put("GIT_COMMITTER_NAME", "Gantry Test");
    env.put("GIT_COMMITTER_EMAIL", "test@gantry.invalid");
    // the machine's and the user's git config (signing, hooks, default branch) stay out
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_TERMINAL_PROMPT", "0");
    try {
      Process process = pb.start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("git " + String.join(" ", args) + " timed out");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run git (is it installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }
}

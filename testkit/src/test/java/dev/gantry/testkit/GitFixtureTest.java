package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitFixtureTest {

  @TempDir Path dir;

  @Test
  void shouldShowCommitsAndTagInLsRemoteWhenPushed() throws Exception {
    GitFixture git = GitFixture.createBare(dir);

    String first = git.commit("main", "first", Map.of("go.mod", "module example.com/shop\n"));
    String second = git.commit("main", "second", Map.of("cmd/shop/main.go", "package main\n"));
    String feature = git.commit("feature/x", "branch", Map.of("README.md", "x\n"));
    String tagObject = git.tag("v1.0.0", first);

    assertThat(first).hasSize(40).isNotEqualTo(second);
    assertThat(git.url()).startsWith("file:///").endsWith("/origin.git");
    String refs = lsRemote(git.url());
    assertThat(refs)
        .contains(second + "\trefs/heads/main")
        .contains(feature + "\trefs/heads/feature/x")
        .contains(tagObject + "\trefs/tags/v1.0.0\n")
        .contains(first + "\trefs/tags/v1.0.0^{}");
  }

  @Test
  void shouldStartNewBranchFromLastCommitWhenBranchIsNew() throws Exception {
    GitFixture git = GitFixture.createBare(dir);
    String base = git.commit("main", "base", Map.of("a.txt", "a"));

    String onBranch = git.commit("dev", "on dev", Map.of("b.txt", "b"));

    assertThat(run(git.bareDir(), "git", "rev-parse", onBranch + "^")).isEqualTo(base);
    assertThat(run(git.bareDir(), "git", "show", "dev:a.txt")).isEqualTo("a");
  }

  private static String lsRemote(String url) throws IOException, InterruptedException {
    return run(Path.of("."), "git", "ls-remote", url) + "\n";
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.strip();
  }
}

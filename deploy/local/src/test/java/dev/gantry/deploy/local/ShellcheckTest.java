package dev.gantry.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellcheckTest {

  @Test
  void shouldFindNothingWhenShellcheckReadsEveryScriptOfOurs() throws Exception {
    List<Path> scripts = Scripts.all();
    assertThat(scripts)
        .as("the scripts found")
        .contains(
            Scripts.REPO.resolve("gantry"),
            Scripts.REPO.resolve("deploy/local/demo.sh"),
            Scripts.REPO.resolve("deploy/local/lib.sh"));

    List<String> command = new ArrayList<>(List.of(shellcheck(), "--external-sources"));
    scripts.forEach(s -> command.add(Scripts.REPO.relativize(s).toString()));
    Scripts.Run run = Scripts.run(Scripts.REPO, Map.of(), command.toArray(String[]::new));

    assertThat(run.exitCode()).as("shellcheck said:\n%s", run.both()).isZero();
  }

  /** Debian's shellcheck, which {@code ./gantry test} installs when it is missing. */
  private static String shellcheck() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Path.of(dir, "shellcheck").toFile().canExecute()) {
        return Path.of(dir, "shellcheck").toString();
      }
    }
    throw new AssertionError(
        "shellcheck is not on the PATH: run ./gantry test, which installs Debian's shellcheck");
  }
}

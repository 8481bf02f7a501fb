package dev.gantry.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./gantry} on a clone where nothing was built or run: no target/, no var/, and a home with
 * no ~/.m2. Every command either does its job or says what failed and which log to read.
 */
class FreshTreeTest {

  @TempDir Path dir;

  @Test
  void shouldReportEveryComponentStoppedAndCreateNothingWhenNothingWasEverStarted()
      throws Exception {
    Path tree = Scripts.freshTree(dir);

    Scripts.Run run = Scripts.run(tree, Map.of("HOME", home().toString()), "./gantry", "status");

    assertThat(run.exitCode()).as(run.both()).isZero();
    assertThat(run.stdout().lines())
        .as(run.both())
        .hasSize(8)
        .allSatisfy(line -> assertThat(line).containsPattern("^\\S+ +stopped "));
    assertThat(tree.resolve("var")).doesNotExist();
  }

  @Test
  void shouldSayThatNothingRanYetWhenLogsAreAskedForFirst() throws Exception {
    Path tree = Scripts.freshTree(dir);

    Scripts.Run run = Scripts.run(tree, Map.of("HOME", home().toString()), "./gantry", "logs");

    assertThat(run.exitCode()).as(run.both()).isEqualTo(1);
    assertThat(run.stderr()).contains("gantry: no logs yet: run ./gantry up");
  }

  @Test
  void shouldStopNothingAndSaySoWhenDownComesFirst() throws Exception {
    Path tree = Scripts.freshTree(dir);

    Scripts.Run run = Scripts.run(tree, Map.of("HOME", home().toString()), "./gantry", "down");

    assertThat(run.exitCode()).as(run.both()).isZero();
    assertThat(run.stdout()).contains("gantry is down");
  }

  @Test
  void shouldNameTheBuildAndItsLogAndStartNothingWhenTheDemoCannotBuild() throws Exception {
    Path tree = Scripts.freshTree(dir);
    // a Maven that answers its version and fails every build, as one with no network would
    Path bin =
        Scripts.executable(
                dir.resolve("bin/mvn"),
                """
                case "$1" in -v | --version) echo 'Apache Maven 3.9.9'; exit 0 ;; esac
                echo '[ERROR] Failed to execute goal: no route to the repository'
                exit 1
                """)
            .getParent();

    Scripts.Run run =
        Scripts.run(
            tree,
            Map.of("HOME", home().toString(), "PATH", bin + ":" + System.getenv("PATH")),
            "./gantry",
            "demo");

    assertThat(run.exitCode()).as(run.both()).isEqualTo(1);
    assertThat(run.stderr())
        .as(run.both())
        .contains("[ERROR] Failed to execute goal: no route to the repository")
        .contains("full output in " + tree.resolve("var/log/build.log"));
    assertThat(tree.resolve("var/log/build.log")).content().contains("no route to the repository");
    try (var pids = Files.list(tree.resolve("var/run"))) {
      assertThat(pids).as("nothing was started").isEmpty();
    }
  }

  @Test
  void shouldNameTheMissingAlertmanagerConfigurationAndBuildOrStartNothing() throws Exception {
    Path tree = Scripts.freshTree(dir);
    Path missing = dir.resolve("nowhere/alertmanager.yml");

    Scripts.Run run =
        Scripts.run(
            tree,
            Map.of("HOME", home().toString(), "GANTRY_ALERTMANAGER_CONFIG", missing.toString()),
            "./gantry",
            "up");

    assertThat(run.exitCode()).as(run.both()).isEqualTo(1);
    assertThat(run.stderr())
        .as(run.both())
        .contains("GANTRY_ALERTMANAGER_CONFIG names " + missing + ", which is not a file");
    assertThat(tree.resolve("var")).as("nothing was built or started").doesNotExist();
  }

  @Test
  void shouldWriteAnAlertmanagerConfigurationThatDebiansAlertmanagerAcceptsAndRoutesToTheDemo()
      throws Exception {
    Path config = dir.resolve("alertmanager.yml");
    Scripts.Run written = withLib("write_alertmanager_config '" + config + "'");
    assertThat(written.exitCode()).as(written.both()).isZero();

    // the tool that ships with the Alertmanager up runs (prereqs.sh, require_alertmanager)
    Scripts.Run check =
        Scripts.run(dir, Map.of(), "/usr/bin/amtool", "check-config", config.toString());

    assertThat(check.exitCode()).as(check.both()).isZero();
    assertThat(check.stdout()).contains("SUCCESS").contains("1 receivers");
    assertThat(config)
        .content()
        .contains("url: http://127.0.0.1:8090/")
        .contains("send_resolved: true")
        .contains("group_by: [app]");
  }

  @Test
  void shouldFindNoScenarioJarAndGoOnWhenTheCloneHasNoTargetFolder() throws Exception {
    // what demo.sh and up.sh do to find a built jar
    Scripts.Run run =
        withLib(
            "jar=\"$(first_file \"$GANTRY_ROOT/e2e/target\" 'gantry-e2e-*.jar')\";"
                + " printf 'jar=[%s]\\n' \"$jar\"");

    assertThat(run.exitCode()).as(run.both()).isZero();
    assertThat(run.stdout()).isEqualTo("jar=[]\n");
  }

  @Test
  void shouldNameTheCommandAndLineWhenAScriptStopsOnAnUnexpectedFailure() throws Exception {
    Scripts.Run run =
        withLib(
            "GANTRY_LOG_HINT=var/log/x.log;"
                + " listing=\"$(ls \"$GANTRY_ROOT/e2e/target\")\"; echo unreachable");

    assertThat(run.exitCode()).as(run.both()).isNotZero();
    assertThat(run.stdout()).doesNotContain("unreachable");
    assertThat(run.stderr())
        .as(run.both())
        .containsOnlyOnce("gantry: ")
        .contains("listing=\"$(ls \"$GANTRY_ROOT/e2e/target\")\" failed (exit 2)")
        .contains("line 1; see var/log/x.log");
  }

  /** Runs a line of bash in a fresh tree after lib.sh, under the scripts' own shell options. */
  private Scripts.Run withLib(String script) throws Exception {
    return Scripts.run(
        Scripts.freshTree(dir),
        Map.of(),
        "bash",
        "-c",
        "set -euo pipefail; source deploy/local/lib.sh; " + script);
  }

  private Path home() throws Exception {
    return Files.createDirectories(dir.resolve("home"));
  }
}

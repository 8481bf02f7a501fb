package dev.gantry.buildworker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.RefType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a request names the build's files by, held to the rules every service shares. */
class BuildRunnerTest {
  private static final String ID = "0193a5f0-7c1e-7b3a-9d2e-4f6a8b0c1d2e";

  @Test
  void shouldNameTheLogByTheBuildIdAsBuildApiLooksItUp() {
    // build-api reads logs/builds/<uuid>.log with the UUID's own (lower-case) text
    assertThat(BuildRunner.safeId(ID.toUpperCase())).isEqualTo(ID);
    for (String bad : new String[] {"build-42", "../../x", "-" + ID, ID + "\n", null}) {
      assertThatThrownBy(() -> BuildRunner.safeId(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("build id");
    }
  }

  @Test
  void shouldPublishOnlyUnderAnAppNameEveryServiceAccepts() {
    assertThat(BuildRunner.appName(request("github.com/acme/shop", "shop-front")))
        .isEqualTo("shop-front");
    assertThat(BuildRunner.appName(request("github.com/acme/Shop", null))).isEqualTo("shop");
    // rollout-service could never register these as apps
    for (String bad : new String[] {"my_app", "shop.v2", "-shop", "a".repeat(64)}) {
      assertThatThrownBy(() -> BuildRunner.appName(request("github.com/acme/shop", bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("app name '");
    }
  }

  private static BuildRequested request(String repo, String app) {
    return new BuildRequested(
        ID,
        ID,
        repo,
        "https://" + repo + ".git",
        "github",
        "refs/heads/main",
        RefType.BRANCH,
        "main",
        "9fceb02d0ae598e95dc970b74767f19372d61af8",
        null,
        app,
        "m",
        "a",
        "manual",
        Instant.now());
  }
}

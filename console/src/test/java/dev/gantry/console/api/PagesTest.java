package dev.gantry.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PagesTest {
  @Test
  void shouldKeepALocalPathAndRefuseEverythingThatLeavesTheConsole() {
    assertThat(Pages.safeNext("/rollouts/abc?x=1")).isEqualTo("/rollouts/abc?x=1");
    assertThat(Pages.safeNext("/")).isEqualTo("/");
    assertThat(Pages.safeNext("//evil.example")).isEqualTo("/");
    assertThat(Pages.safeNext("/\\evil.example")).isEqualTo("/");
    assertThat(Pages.safeNext("https://evil.example")).isEqualTo("/");
    assertThat(Pages.safeNext("/a\nb")).isEqualTo("/");
    assertThat(Pages.safeNext(null)).isEqualTo("/");
  }

  @Test
  void shouldSendTheBrowserToLoginWithThePathAskedFor() {
    assertThat(Pages.loginUrl(URI.create("http://h/rollouts/r1?x=1")))
        .isEqualTo("/login?next=%2Frollouts%2Fr1%3Fx%3D1");
  }

  @Test
  void shouldGiveEveryPageTheCommonHeaderItsOwnTitleAndItsScriptsInOrder() {
    String rollout = Pages.html("rollout");
    assertThat(rollout)
        .contains(
            "<title>Rollout · Gantry</title>", "data-testid=\"whoami\"", "data-testid=\"away\"")
        .doesNotContain("{title}", "{head}", "{scripts}");
    // uPlot, then the common script, then the page's own: deferred scripts run in this order
    assertThat(rollout.indexOf("uPlot.iife.min.js"))
        .isLessThan(rollout.indexOf("/static/console.js"));
    assertThat(rollout.indexOf("/static/console.js"))
        .isLessThan(rollout.indexOf("/static/rollout.js"));
    assertThat(Pages.html("app")).contains("/static/apps.js", "/static/app.js");
    assertThat(Pages.html("alerts"))
        .contains("<title>Alerts · Gantry</title>")
        .doesNotContain("uPlot");
    assertThat(Pages.html("login"))
        .contains("data-testid=\"login-token\"")
        .doesNotContain("whoami");
  }
}

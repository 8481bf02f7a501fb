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
}

package dev.gantry.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleLinksTest {

  @Test
  void shouldLinkTheRolloutPageUnderTheConsoleAddressWhateverItsTrailingSlash() {
    assertThat(ConsoleLinks.rollout("https://gantry.example.com/", "0193a612-4b7d"))
        .isEqualTo("https://gantry.example.com/rollouts/0193a612-4b7d");
    assertThat(ConsoleLinks.rollout("http://127.0.0.1:8084", "r1"))
        .isEqualTo("http://127.0.0.1:8084/rollouts/r1");
  }

  @Test
  void shouldEscapeAnIdSoThatItCannotLeaveItsPathSegment() {
    assertThat(ConsoleLinks.build("http://c", "../x?y=1 z"))
        .isEqualTo("http://c/builds/..%2Fx%3Fy%3D1%20z");
    assertThat(ConsoleLinks.app("http://c", "shop")).isEqualTo("http://c/apps/shop");
  }
}

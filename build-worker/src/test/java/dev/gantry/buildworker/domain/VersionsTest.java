package dev.gantry.buildworker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class VersionsTest {
  static final String SHA = "9fceb02d0ae598e95dc970b74767f19372d61af8";

  @Test
  void shouldMakeAGoPseudoVersionFromTheCommitTimeInUtcAndTheShortSha() {
    assertThat(Versions.pseudo(Instant.parse("2026-11-21T10:15:30Z"), SHA))
        .isEqualTo("v0.0.0-20261121101530-9fceb02d0ae5");
  }

  @Test
  void shouldSortPseudoVersionsOfABranchByCommitTime() {
    String earlier = Versions.pseudo(Instant.parse("2026-01-09T23:59:59Z"), SHA);
    String later = Versions.pseudo(Instant.parse("2026-01-10T00:00:00Z"), "0" + SHA.substring(1));
    assertThat(earlier).isLessThan(later);
  }

  @Test
  void shouldUseATagAsItIs() {
    assertThat(Versions.ofTag("v1.4.0")).isEqualTo("v1.4.0");
    assertThat(Versions.ofTag("v2.0.0-rc.1+build.5")).isEqualTo("v2.0.0-rc.1+build.5");
  }

  @Test
  void shouldRefuseATagThatCannotBeOnePathElement() {
    for (String bad : new String[] {"../v1", "v1/../../x", ".hidden", "-rm", "v 1", "a/b", ""}) {
      assertThatThrownBy(() -> Versions.ofTag(bad)).as(bad).hasMessageContaining("cannot name");
    }
    assertThatThrownBy(() -> Versions.ofTag("v" + "1".repeat(200))).hasMessageContaining("128");
  }
}

package dev.gantry.buildapi.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BranchFilterTest {

  @Test
  void shouldMatchEveryBranchWithoutPatterns() {
    assertThat(new BranchFilter(List.of()).matches("anything/at/all")).isTrue();
  }

  @Test
  void shouldMatchGlobsWithinAndAcrossComponents() {
    BranchFilter f = new BranchFilter(List.of("main", "release/*", "hotfix/**"));
    assertThat(f.matches("main")).isTrue();
    assertThat(f.matches("release/1.2")).isTrue();
    assertThat(f.matches("release/1.2/rc1")).isFalse();
    assertThat(f.matches("hotfix/a/b")).isTrue();
    assertThat(f.matches("mainline")).isFalse();
  }

  @Test
  void shouldSurviveStorage() {
    BranchFilter f = new BranchFilter(List.of("main", "release/*"));
    assertThat(BranchFilter.deserialize(f.serialize())).isEqualTo(f);
  }
}

package dev.gantry.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReleaseTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:15:30Z");

  @Test
  void shouldCallABuildOlderWhenItFinishedEarlierWhateverItsVersionSays() {
    Release older = release("v9.0.0", T0);
    Release newer = release("v1.0.0", T0.plusSeconds(1));

    assertThat(older.builtBefore(newer)).isTrue();
    assertThat(newer.builtBefore(older)).isFalse();
  }

  @Test
  void shouldNeverCallABuildOlderWhenEitherTimeIsUnknownOrTheyAreEqual() {
    assertThat(release("v1", null).builtBefore(release("v2", T0))).isFalse();
    assertThat(release("v1", T0).builtBefore(release("v2", null))).isFalse();
    assertThat(release("v1", T0).builtBefore(release("v2", T0))).isFalse();
    assertThat(release("v1", T0).builtBefore(null)).isFalse();
  }

  private static Release release(String version, Instant builtAt) {
    return new Release(
        version, "b-" + version, "c0ffee", "artifacts/a/" + version + "/x/a", builtAt);
  }
}

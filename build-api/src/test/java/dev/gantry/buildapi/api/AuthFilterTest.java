package dev.gantry.buildapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.edge.Role;
import org.junit.jupiter.api.Test;

class AuthFilterTest {

  @Test
  void shouldLeaveWebhooksAndQuarkusEndpointsOpen() {
    assertThat(AuthFilter.needed("/webhooks/github", "POST", false)).isEqualTo(Role.NONE);
    assertThat(AuthFilter.needed("/q/health/ready", "GET", false)).isEqualTo(Role.NONE);
  }

  @Test
  void shouldNeedTheOperatorTokenForWritesAndForEveryRepoRequest() {
    assertThat(AuthFilter.needed("/builds", "POST", true)).isEqualTo(Role.OPERATOR);
    assertThat(AuthFilter.needed("/repos", "GET", true)).isEqualTo(Role.OPERATOR);
    assertThat(AuthFilter.needed("/repos/abc", "DELETE", false)).isEqualTo(Role.OPERATOR);
  }

  @Test
  void shouldNeedTheViewerTokenForReadsUnlessReadsAreOpen() {
    assertThat(AuthFilter.needed("/builds", "GET", false)).isEqualTo(Role.VIEWER);
    assertThat(AuthFilter.needed("/builds/1/log", "HEAD", false)).isEqualTo(Role.VIEWER);
    assertThat(AuthFilter.needed("/builds", "GET", true)).isEqualTo(Role.NONE);
  }
}

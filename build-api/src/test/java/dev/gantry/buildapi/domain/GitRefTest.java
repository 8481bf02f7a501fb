package dev.gantry.buildapi.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.edge.ApiException;
import dev.gantry.events.build.RefType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitRefTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "refs/heads/main",
        "refs/heads/release/1.2",
        "refs/heads/feature/JIRA-12_fix+more",
        "refs/tags/v1.0.0",
        "refs/heads/ünïcode"
      })
  void shouldAcceptRefsGitAccepts(String ref) {
    assertThat(GitRef.parse(ref).full()).isEqualTo(ref);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "refs/heads/a..b",
        "refs/heads/-x",
        "refs/heads/@",
        "refs/heads/a@{u}",
        "refs/heads/a b",
        "refs/heads/a\tb",
        "refs/heads/a\u007fb",
        "refs/heads/a~1",
        "refs/heads/a^",
        "refs/heads/a:b",
        "refs/heads/a?",
        "refs/heads/a*",
        "refs/heads/a[b",
        "refs/heads/a\\b",
        "refs/heads/a//b",
        "refs/heads/a/",
        "refs/heads/a.",
        "refs/heads/.a",
        "refs/heads/a/.b",
        "refs/heads/a.lock",
        "refs/heads/a.lock/b",
        "refs/heads/",
        "refs/notes/x",
        "HEAD"
      })
  void shouldRejectRefsGitWouldRefuse(String ref) {
    assertThatThrownBy(() -> GitRef.parse(ref)).isInstanceOf(ApiException.BadRequest.class);
  }

  @Test
  void shouldRejectOverlongRefs() {
    assertThatThrownBy(() -> GitRef.parse("refs/heads/" + "a".repeat(250)))
        .isInstanceOf(ApiException.BadRequest.class);
  }

  @Test
  void shouldNotEchoControlCharactersInTheError() {
    assertThatThrownBy(() -> GitRef.parse("refs/heads/a\u001b[31mred"))
        .hasMessageNotContaining("\u001b")
        .hasMessageContaining("\\u001b");
  }

  @Test
  void shouldReadShortNamesAsBranchOrTag() {
    assertThat(GitRef.parseShort("main", RefType.BRANCH).full()).isEqualTo("refs/heads/main");
    assertThat(GitRef.parseShort("v1", RefType.TAG).type()).isEqualTo(RefType.TAG);
    assertThat(GitRef.parseShort("refs/tags/v1", RefType.BRANCH).type()).isEqualTo(RefType.TAG);
  }

  @Test
  void shouldAcceptOnlyFullLowerCaseObjectIds() {
    assertThat(GitRef.checkCommit("a".repeat(40))).hasSize(40);
    assertThat(GitRef.checkCommit("b".repeat(64))).hasSize(64);
    assertThatThrownBy(() -> GitRef.checkCommit("A".repeat(40)))
        .isInstanceOf(ApiException.BadRequest.class);
    assertThatThrownBy(() -> GitRef.checkCommit("abc123"))
        .isInstanceOf(ApiException.BadRequest.class);
    assertThatThrownBy(() -> GitRef.checkCommit(null)).isInstanceOf(ApiException.BadRequest.class);
  }
}

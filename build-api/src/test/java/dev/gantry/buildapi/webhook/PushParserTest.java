package dev.gantry.buildapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.buildapi.domain.Provider;
import dev.gantry.edge.ApiException;
import dev.gantry.events.build.RefType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The documented payloads of each forge, as they are in src/test/resources/payloads. */
class PushParserTest {

  @Test
  void shouldReadGithubHeadCommit() {
    Push push = PushParser.parse(Provider.GITHUB, payload("github-push.json"));
    assertThat(push.ref().full()).isEqualTo("refs/heads/main");
    assertThat(push.commit()).isEqualTo("59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5");
    assertThat(push.message()).isEqualTo("Add the checkout endpoint");
    assertThat(push.author()).isEqualTo("Mona Lisa <mona@acme.example>");
    assertThat(push.deleted()).isFalse();
  }

  @Test
  void shouldPickTheCheckedOutCommitOfAGitlabPush() {
    Push push = PushParser.parse(Provider.GITLAB, payload("gitlab-push.json"));
    assertThat(push.commit()).isEqualTo("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
    assertThat(push.message()).isEqualTo("fixed readme");
    assertThat(push.author()).isEqualTo("GitLab dev user <gitlabdev@acme.example>");
  }

  @Test
  void shouldReadAGitlabTagPushWithoutCommits() {
    Push push = PushParser.parse(Provider.GITLAB, payload("gitlab-tag-push.json"));
    assertThat(push.ref().type()).isEqualTo(RefType.TAG);
    assertThat(push.ref().name()).isEqualTo("v1.0.0");
    assertThat(push.commit()).isEqualTo("82b3d5ae55f7080f1e6022629cdb57bfae7cccc7");
    assertThat(push.message()).isNull();
  }

  @Test
  void shouldReadGiteaHeadCommit() {
    Push push = PushParser.parse(Provider.GITEA, payload("gitea-push.json"));
    assertThat(push.commit()).isEqualTo("bffeb74224043ba2feb48d137756c8a9331c449a");
    assertThat(push.message()).isEqualTo("Webhooks Yay!");
  }

  @Test
  void shouldSeeADeletionInTheZeroCommitOrTheDeletedFlag() {
    String zero =
        "{\"ref\":\"refs/heads/gone\",\"after\":\"0000000000000000000000000000000000000000\"}";
    assertThat(PushParser.parse(Provider.GITEA, zero.getBytes(StandardCharsets.UTF_8)).deleted())
        .isTrue();
    String flagged =
        "{\"ref\":\"refs/heads/gone\",\"after\":\"" + "a".repeat(40) + "\",\"deleted\":true}";
    assertThat(
            PushParser.parse(Provider.GITHUB, flagged.getBytes(StandardCharsets.UTF_8)).deleted())
        .isTrue();
  }

  @Test
  void shouldRejectMissingFieldsAndWrongTypes() {
    for (String body :
        new String[] {
          "[]",
          "{}",
          "{\"ref\":\"refs/heads/main\"}",
          "{\"ref\":42,\"after\":\"x\"}",
          "{\"ref\":\"refs/heads/main\",\"after\":\"" + "a".repeat(40) + "\"",
          "not json"
        }) {
      assertThatThrownBy(
              () -> PushParser.parse(Provider.GITHUB, body.getBytes(StandardCharsets.UTF_8)))
          .as(body)
          .isInstanceOf(ApiException.BadRequest.class);
    }
  }

  private static byte[] payload(String name) {
    try (InputStream in = PushParserTest.class.getResourceAsStream("/payloads/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

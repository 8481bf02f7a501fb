package dev.gantry.buildapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.buildapi.domain.Provider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignaturesTest {
  // GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!"
  private static final String SECRET = "It's a Secret to Everybody";
  private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private static final String EXPECTED =
      "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  @Test
  void shouldMatchGithubsDocumentedExample() {
    assertThat(Signatures.hmacSha256Hex(BODY, SECRET)).isEqualTo(EXPECTED);
    assertThat(Signatures.verify(Provider.GITHUB, "sha256=" + EXPECTED, BODY, SECRET)).isTrue();
  }

  @Test
  void shouldRequireThePrefixForGithubAndTheBareHexForGitea() {
    assertThat(Signatures.verify(Provider.GITHUB, EXPECTED, BODY, SECRET)).isFalse();
    assertThat(Signatures.verify(Provider.GITEA, EXPECTED, BODY, SECRET)).isTrue();
    assertThat(Signatures.verify(Provider.GITEA, "sha256=" + EXPECTED, BODY, SECRET)).isFalse();
  }

  @Test
  void shouldRejectAnyChangeToBodySecretOrSignature() {
    assertThat(Signatures.verify(Provider.GITEA, EXPECTED, "Hello, World?".getBytes(), SECRET))
        .isFalse();
    assertThat(Signatures.verify(Provider.GITEA, EXPECTED, BODY, SECRET + "x")).isFalse();
    assertThat(Signatures.verify(Provider.GITEA, EXPECTED.replace('7', '8'), BODY, SECRET))
        .isFalse();
    assertThat(Signatures.verify(Provider.GITEA, "zz-not-hex", BODY, SECRET)).isFalse();
    assertThat(Signatures.verify(Provider.GITEA, null, BODY, SECRET)).isFalse();
  }

  @Test
  void shouldCompareGitlabTokensExactly() {
    assertThat(Signatures.verify(Provider.GITLAB, SECRET, BODY, SECRET)).isTrue();
    assertThat(Signatures.verify(Provider.GITLAB, SECRET.toUpperCase(), BODY, SECRET)).isFalse();
    assertThat(Signatures.verify(Provider.GITLAB, "", BODY, SECRET)).isFalse();
  }
}

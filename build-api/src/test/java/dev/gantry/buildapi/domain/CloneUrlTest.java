package dev.gantry.buildapi.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.edge.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CloneUrlTest {

  @ParameterizedTest
  @CsvSource({
    "https://github.com/Acme/Shop.git, github.com/acme/shop",
    "https://github.com/acme/shop, github.com/acme/shop",
    "git@github.com:acme/shop.git, github.com/acme/shop",
    "ssh://git@github.com/acme/shop.git, github.com/acme/shop",
    "https://gitea.acme.example:3000/acme/shop.git, gitea.acme.example:3000/acme/shop",
    "https://gitlab.acme.example/group/sub/shop.git, gitlab.acme.example/group/sub/shop"
  })
  void shouldGiveEveryFormOfAUrlTheSameKey(String url, String key) {
    assertThat(CloneUrl.parse(url, false).key()).isEqualTo(key);
  }

  @Test
  void shouldAllowFileUrlsOnlyInLocalMode() {
    assertThat(CloneUrl.parse("file:///srv/git/shop.git", true).key())
        .isEqualTo("local/srv/git/shop");
    assertThatThrownBy(() -> CloneUrl.parse("file:///srv/git/shop.git", false))
        .isInstanceOf(ApiException.BadRequest.class)
        .hasMessageNotContaining("file:///path");
  }

  @Test
  void shouldAcceptKeysAsDeepAsBuildWorkerPlacesMirrorsAndNoDeeper() {
    String deepest = "https://gitlab.example.com" + "/g".repeat(30) + "/app.git";
    assertThat(CloneUrl.parse(deepest, false).key().split("/")).hasSize(CloneUrl.MAX_KEY_PARTS);
    assertThatThrownBy(
            () -> CloneUrl.parse("https://gitlab.example.com" + "/g".repeat(31) + "/app", false))
        .isInstanceOf(ApiException.BadRequest.class)
        .hasMessageContaining("at most 32 path parts");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://github.com/acme/shop.git",
        "git://github.com/acme/shop.git",
        "ext::sh -c id",
        "-oProxyCommand=id",
        "ssh://-oProxyCommand=id/acme/shop",
        "https://u:p@github.com/acme/shop.git",
        "ssh://git:pw@github.com/acme/shop.git",
        "https://github.com/acme/shop.git\n",
        "https://github.com/acme/../x.git",
        "https://github.com/acme/shop.git#frag",
        "file://host/srv/shop.git",
        "",
      })
  void shouldRefuseUrlsGitMustNotSee(String url) {
    assertThatThrownBy(() -> CloneUrl.parse(url, true)).isInstanceOf(ApiException.BadRequest.class);
  }
}

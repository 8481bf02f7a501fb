package dev.gantry.buildapi.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.edge.ApiException;
import dev.gantry.events.id.RepoKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CloneUrlTest {

  @ParameterizedTest
  @CsvSource({
    "https://github.com/Acme/Shop.git, github.com/acme/shop",
    "https://github.com/Acme/Shop.GIT, github.com/acme/shop",
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
    assertThat(CloneUrl.parse(deepest, false).key().split("/")).hasSize(RepoKey.MAX_PARTS);
    assertThatThrownBy(
            () -> CloneUrl.parse("https://gitlab.example.com" + "/g".repeat(31) + "/app", false))
        .isInstanceOf(ApiException.BadRequest.class)
        .hasMessageContaining("at most 32 path parts");
  }

  @Test
  void shouldKeyTheDemosForgeInADeepCheckoutAsEveryServiceAcceptsIt() {
    // ./gantry demo in a clone 12 folders deep, the checkout issue 14 met
    String forge =
        "/home/dev/go/src/github.com/acme-org/platform/tools/ci/checkouts/issue-14/gantry"
            + "/var/demo/hello-1204150000/repo/forge.git";

    String key = CloneUrl.parse("file://" + forge, true).key();

    assertThat(key)
        .isEqualTo(
            "local/home/dev/go/src/github.com/acme-org/platform/tools/ci/checkouts/issue-14/gantry"
                + "/var/demo/hello-1204150000/repo/forge")
        .isEqualTo(RepoKey.ofLocalPath(forge).value());
    assertThat(RepoKey.isValid(key)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://gitea.acme.example:3000/acme/shop.git",
        "https://git.sr.ht/~acme/shop",
        "https://github.com/acme/.github.git",
        "git@gitlab.example.com:group/sub_group/my.app-2.git",
        "file:///srv/git/Shop.git"
      })
  void shouldOnlyMakeKeysThatEveryServiceAccepts(String url) {
    assertThat(RepoKey.isValid(CloneUrl.parse(url, true).key())).as(url).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://github.com/acme.git/shop.git | path part 2 ends in '.git'",
        "https://github.com/acme/./shop.git | path part 3 is '.'",
        "file:///srv/git.git/shop.git | path part 3 ends in '.git'",
        "https://github.com/acme/shop.git.git | path part 3 ends in '.git'"
      })
  void shouldRefuseAUrlWhoseKeyAWorkerWouldRefuseSayingWhy(String url, String reason) {
    assertThatThrownBy(() -> CloneUrl.parse(url, true))
        .isInstanceOf(ApiException.BadRequest.class)
        .hasMessageContaining("(its repository key: " + reason);
    assertThat(CloneUrl.keyOf(url)).as(url).isEmpty();
  }

  @Test
  void shouldRefuseAUrlWithANameLongerThanAWorkerCanPlace() {
    assertThatThrownBy(
            () -> CloneUrl.parse("https://github.com/acme/" + "s".repeat(101) + ".git", false))
        .isInstanceOf(ApiException.BadRequest.class)
        .hasMessageContaining("path part 3 is 101 characters long, at most 100");
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

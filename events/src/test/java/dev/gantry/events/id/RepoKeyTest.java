package dev.gantry.events.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepoKeyTest {
  /** The forge of ./gantry demo in a clone 12 folders deep, as issue 14 met it. */
  static final String DEMO_FORGE =
      "/home/dev/go/src/github.com/acme-org/platform/tools/ci/checkouts/issue-14/gantry/var/demo"
          + "/hello-1204150000/repo/forge.git";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "github.com/acme/shop",
        "local/srv/git/shop",
        "gitea.acme.example:3000/acme/shop",
        "git.sr.ht/~acme/shop",
        "github.com/acme/.github",
        "gitlab.example.com/group/sub_group/my.app-2",
        "local/Users/Dev/Code/Shop",
        "h/n"
      })
  void shouldAcceptTheKeysBuildApiDerives(String key) {
    assertThat(RepoKey.isValid(key)).isTrue();
    assertThat(RepoKey.parse(key).value()).isEqualTo(key);
  }

  @Test
  void shouldGiveALocalRepositoryTheKeyOfItsPathHoweverDeep() {
    RepoKey key = RepoKey.ofLocalPath(DEMO_FORGE);

    assertThat(key.value())
        .isEqualTo(
            "local/home/dev/go/src/github.com/acme-org/platform/tools/ci/checkouts/issue-14/gantry"
                + "/var/demo/hello-1204150000/repo/forge");
    assertThat(key.parts()).hasSize(18).startsWith("local", "home").endsWith("repo", "forge");
    assertThat(RepoKey.ofLocalPath("/srv/git/shop.git/").value()).isEqualTo("local/srv/git/shop");
    assertThat(RepoKey.ofLocalPath("/srv/git/Shop.GIT").value()).isEqualTo("local/srv/git/Shop");
    assertThatThrownBy(() -> RepoKey.ofLocalPath("srv/git/shop.git"))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining("not an absolute path");
  }

  @Test
  void shouldAcceptThirtyTwoPartsAndRefuseThirtyThreeNamingTheCount() {
    String thirtyTwo = "gitlab.example.com" + "/g".repeat(30) + "/app";
    assertThat(RepoKey.parse(thirtyTwo).parts()).hasSize(RepoKey.MAX_PARTS);

    String thirtyThree = "gitlab.example.com" + "/g".repeat(31) + "/app";
    assertThatThrownBy(() -> RepoKey.parse(thirtyThree))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class,
            e -> assertThat(e.reason()).isEqualTo("33 path parts, at most 32"))
        .hasMessageStartingWith("repository key 'gitlab.example.com/g/g/")
        .hasMessageEndingWith("is not valid: 33 path parts, at most 32");
  }

  @Test
  void shouldHoldPartsAndTheWholeKeyToTheirLengths() {
    assertThat(RepoKey.isValid("h/" + "a".repeat(100))).isTrue();
    assertThatThrownBy(() -> RepoKey.parse("h/" + "a".repeat(101)))
        .hasMessageEndingWith("path part 2 is 101 characters long, at most 100");

    String longest = "h" + ("/" + "a".repeat(99)).repeat(10) + "/" + "b".repeat(22);
    assertThat(longest).hasSize(RepoKey.MAX_LENGTH);
    assertThat(RepoKey.isValid(longest)).isTrue();
    assertThatThrownBy(() -> RepoKey.parse(longest + "b"))
        .hasMessageEndingWith("1025 characters long, at most 1024");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "github.com/acme/../../etc | it contains '..'",
        "github.com/a..b/c | it contains '..'",
        "github.com/acme/. | path part 3 is '.'",
        "github.com/-oProxyCommand=x/y | the character '='",
        "github.com/-upload-pack/y | path part 2 starts with '-'",
        "/abs/path | path part 1 is empty",
        "a//b | path part 2 is empty",
        "github.com/acme/shop/ | path part 4 is empty",
        "shop | 1 path part, at least 2 (host/name)",
        "github.com/acme/shop.git | path part 3 ends in '.git'",
        "github.com/acme.GIT/shop | path part 2 ends in '.git'",
        "a/.git/b | path part 2 ends in '.git'",
        "github.com/ac:me/shop | ':' other than in host:<port> at the start",
        "host:/acme/shop | ':' other than in host:<port> at the start",
        "host:99999/acme/shop | ':' other than in host:<port> at the start",
        "github.com/acme/sh op | the character ' '",
        "github.com/acme/shop$(id) | the character '$'",
        "github.com/acme\\shop | the character '\\'",
        "github.com/acmé/shop | the character U+00E9",
      })
  void shouldRefuseHostileKeysSayingWhy(String key, String reason) {
    assertThat(RepoKey.isValid(key)).as(key).isFalse();
    assertThatThrownBy(() -> RepoKey.parse(key))
        .as(key)
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void shouldRefuseControlCharactersAndEchoThemEscaped() {
    assertThatThrownBy(() -> RepoKey.parse("github.com/acme/shop\n\u001b[31m"))
        .hasMessage(
            "repository key 'github.com/acme/shop\\u000a\\u001b[31m' is not valid:"
                + " the character U+000A");
    assertThatThrownBy(() -> RepoKey.parse("github.com/acme/\u0000"))
        .hasMessageEndingWith("the character U+0000");
    assertThatThrownBy(() -> RepoKey.parse(null))
        .hasMessage("repository key (none) is not valid: missing");
    assertThatThrownBy(() -> RepoKey.parse("")).hasMessageEndingWith("empty");
  }

  @Test
  void shouldBeAnIllegalArgumentSoCallersThatCatchThatKeepWorking() {
    assertThatThrownBy(() -> RepoKey.parse("x")).isInstanceOf(IllegalArgumentException.class);
  }
}

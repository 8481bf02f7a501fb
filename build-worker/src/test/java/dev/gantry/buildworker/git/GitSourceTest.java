package dev.gantry.buildworker.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GitSourceTest {
  static final Path ROOT = Path.of("/shared");

  @Test
  void shouldAcceptOnlyFullLowerCaseShas() {
    String sha = "9fceb02d0ae598e95dc970b74767f19372d61af8";
    assertThat(GitSource.commit(sha)).isEqualTo(sha);
    for (String bad :
        new String[] {"9fceb02", sha.toUpperCase(), "--upload-pack=x", "HEAD", null}) {
      assertThatThrownBy(() -> GitSource.commit(bad))
          .as(String.valueOf(bad))
          .hasMessageContaining("40-hex");
    }
  }

  @Test
  void shouldPlaceMirrorsUnderTheGitFolderByHostOwnerAndName() {
    assertThat(GitSource.mirrorPath(ROOT, "github.com/Acme/Shop"))
        .isEqualTo(Path.of("/shared/git/github.com/acme/shop.git"));
    assertThat(GitSource.mirrorPath(ROOT, "gitlab.example.com/group/sub/app"))
        .isEqualTo(Path.of("/shared/git/gitlab.example.com/group/sub/app.git"));
  }

  @Test
  void shouldPlaceMirrorsOfEveryKeyBuildApiRegisters() {
    // a forge on its own port, sourcehut's ~owner, GitHub's .github repositories
    assertThat(GitSource.mirrorPath(ROOT, "gitea.acme.example:3000/acme/shop"))
        .isEqualTo(Path.of("/shared/git/gitea.acme.example:3000/acme/shop.git"));
    assertThat(GitSource.mirrorPath(ROOT, "git.sr.ht/~acme/shop"))
        .isEqualTo(Path.of("/shared/git/git.sr.ht/~acme/shop.git"));
    assertThat(GitSource.mirrorPath(ROOT, "github.com/acme/.github"))
        .isEqualTo(Path.of("/shared/git/github.com/acme/.github.git"));
  }

  @Test
  void shouldPlaceMirrorsOfDeepKeysAsBuildApiRegistersThem() {
    // ./gantry demo in a checkout a few folders down: local/<path of the forge's copy>
    String deep = "local/home/dev/src/work/gantry/var/demo/hello-1201101530/forge";
    assertThat(GitSource.mirrorPath(ROOT, deep)).isEqualTo(Path.of("/shared/git/" + deep + ".git"));
    String thirtyTwo = "h" + "/g".repeat(30) + "/app";
    assertThat(GitSource.mirrorPath(ROOT, thirtyTwo).getNameCount()).isEqualTo(2 + 32);
    assertThatThrownBy(() -> GitSource.mirrorPath(ROOT, "h" + "/g".repeat(31) + "/app"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRefuseRepositoryKeysThatLeaveTheGitFolder() {
    for (String bad :
        new String[] {
          "github.com/../../etc", "github.com/a/..", "/abs/path", "x", "a//b", "a/.git/b", null
        }) {
      assertThatThrownBy(() -> GitSource.mirrorPath(ROOT, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void shouldRefuseKeysWhoseMirrorWouldNestInOrStandForAnother() {
    // h/o/app.git would be h/o/app's mirror; h/o.git/app would sit inside h/o's
    for (String bad : new String[] {"h/o/app.git", "h/o.git/app", "h/o/app.GIT"}) {
      assertThatThrownBy(() -> GitSource.mirrorPath(ROOT, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ends in '.git'");
    }
  }

  @Test
  void shouldAllowHttpsAndSshEverywhereAndFileOnlyInLocalMode() {
    assertThat(GitSource.cloneUrl("https://github.com/acme/shop.git", false)).isNotNull();
    assertThat(GitSource.cloneUrl("ssh://git@github.com/acme/shop.git", false)).isNotNull();
    assertThat(GitSource.cloneUrl("git@github.com:acme/shop.git", false)).isNotNull();
    assertThat(GitSource.cloneUrl("file:///srv/repos/shop.git", true)).isNotNull();
    assertThatThrownBy(() -> GitSource.cloneUrl("file:///srv/repos/shop.git", false))
        .hasMessageContaining("scheme 'file' is not allowed");
  }

  @Test
  void shouldRefuseTransportsThatRunCommandsAndUrlsThatLookLikeOptions() {
    for (String bad :
        new String[] {
          "ext::sh -c touch% /tmp/x",
          "ext::sh",
          "http://github.com/acme/shop.git",
          "git://github.com/acme/shop.git",
          "-oProxyCommand=touch /tmp/x",
          "--upload-pack=touch",
          "git@-oProxyCommand=x:y",
          "git@host:-flag",
          "https://github.com/acme/shop.git\n",
          ""
        }) {
      assertThatThrownBy(() -> GitSource.cloneUrl(bad, true))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}

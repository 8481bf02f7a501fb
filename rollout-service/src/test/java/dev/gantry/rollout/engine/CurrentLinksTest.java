package dev.gantry.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurrentLinksTest {
  @TempDir Path root;
  private CurrentLinks links;

  @BeforeEach
  void setUp() throws IOException {
    links = new CurrentLinks(root);
    for (String version : new String[] {"v1", "v2"}) {
      Path binary = root.resolve("artifacts/shop-src/" + version + "/linux_amd64/shop");
      Files.createDirectories(binary.getParent());
      Files.writeString(binary, version);
    }
  }

  @Test
  void shouldLinkTheFolderTheArtifactIsInWhateverTheRolloutAppIsCalled() throws IOException {
    assertThat(links.point("artifacts/shop-src/v1/linux_amd64/shop")).isTrue();

    Path current = root.resolve("artifacts/shop-src/current");
    assertThat(Files.readSymbolicLink(current)).isEqualTo(Path.of("v1"));
    assertThat(Files.readString(current.resolve("linux_amd64/shop"))).isEqualTo("v1");
    assertThat(links.current("shop-src")).isEqualTo("v1");
  }

  @Test
  void shouldSwitchToTheNewVersionAndBackLeavingNoTemporaryLinks() throws IOException {
    links.point("artifacts/shop-src/v1/linux_amd64/shop");

    assertThat(links.point("artifacts/shop-src/v2/linux_amd64/shop")).isTrue();
    assertThat(links.current("shop-src")).isEqualTo("v2");
    assertThat(links.point("artifacts/shop-src/v2/linux_amd64/shop")).isFalse();
    assertThat(links.point("artifacts/shop-src/v1/linux_amd64/shop")).isTrue();

    assertThat(links.current("shop-src")).isEqualTo("v1");
    assertThat(names(root.resolve("artifacts/shop-src")))
        .containsExactlyInAnyOrder("v1", "v2", "current");
  }

  @Test
  void shouldSwitchAndTidyUpWhenACrashedSwitchLeftItsTemporaryLink() throws IOException {
    links.point("artifacts/shop-src/v1/linux_amd64/shop");
    Path appDir = root.resolve("artifacts/shop-src");
    Files.createSymbolicLink(appDir.resolve(".current-0b7c1e"), Path.of("v2"));

    assertThat(links.point("artifacts/shop-src/v2/linux_amd64/shop")).isTrue();

    assertThat(links.current("shop-src")).isEqualTo("v2");
    assertThat(names(appDir)).containsExactlyInAnyOrder("v1", "v2", "current");
  }

  @Test
  void shouldRefuseArtifactPathsOutsideTheStoreAndChangeNothing() throws IOException {
    Path outside = root.resolve("etc/x");
    Files.createDirectories(outside);
    links.point("artifacts/shop-src/v1/linux_amd64/shop");

    for (String hostile :
        new String[] {
          "artifacts/../etc/x/linux_amd64/shop",
          "artifacts/shop-src/../../etc/linux_amd64/shop",
          "artifacts/shop-src/../v2/linux_amd64",
          root.resolve("artifacts/shop-src/v2/linux_amd64/shop").toString(),
          "gocache/shop-src/v2/linux_amd64/shop",
          "artifacts/shop-src/v2/shop",
          "artifacts/shop-src/current/linux_amd64/shop",
          "artifacts/shop-src/v3/linux_amd64/shop",
          "",
        }) {
      assertThat(links.point(hostile)).as(hostile).isFalse();
    }
    assertThat(links.point(null)).isFalse();

    assertThat(links.current("shop-src")).isEqualTo("v1");
    assertThat(Files.exists(root.resolve("etc/current"))).isFalse();
    assertThat(Files.exists(root.resolve("current"))).isFalse();
    assertThat(names(root.resolve("artifacts"))).containsExactly("shop-src");
  }

  private static Stream<String> namesOf(Path dir) throws IOException {
    return Files.list(dir).map(p -> p.getFileName().toString());
  }

  private static java.util.List<String> names(Path dir) throws IOException {
    try (Stream<String> names = namesOf(dir)) {
      return names.toList();
    }
  }
}

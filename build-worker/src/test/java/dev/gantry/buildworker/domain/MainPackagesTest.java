package dev.gantry.buildworker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MainPackagesTest {
  static final String MODULE = "example.com/shop";

  static List<String> choose(String... found) {
    return MainPackages.choose(List.of(found), found.length, List.of(), MODULE);
  }

  @Test
  void shouldBuildTheModuleRootWhenItIsAMainPackageWhateverElseThereIs() {
    assertThat(choose(".", "./cmd/migrate", "./cmd/shop")).containsExactly(".");
  }

  @Test
  void shouldBuildTheOnlyMainPackage() {
    assertThat(choose("./cmd/shopd")).containsExactly("./cmd/shopd");
  }

  @Test
  void shouldNameEveryMainPackageAndSuggestTheOneNamedLikeTheModuleWhenThereAreSeveral() {
    assertThatThrownBy(() -> choose("./cmd/migrate", "./cmd/shop"))
        .isInstanceOf(InvalidBuildSpecException.class)
        .hasMessageContaining("2 main packages (./cmd/migrate, ./cmd/shop)")
        .hasMessageContaining(".gantry.yml: packages: [\"./cmd/shop\"]");
    assertThatThrownBy(() -> choose("./cmd/api", "./cmd/worker"))
        .hasMessageContaining("packages: [\"./cmd/api\"]");
  }

  @Test
  void shouldShowTenAndCountTheRestWhenThereAreMany() {
    List<String> many = IntStream.range(0, 300).mapToObj(i -> "./cmd/t%03d".formatted(i)).toList();
    assertThatThrownBy(() -> MainPackages.choose(many.subList(0, 256), 300, List.of(), MODULE))
        .hasMessageContaining("300 main packages (./cmd/t000, ")
        .hasMessageContaining("./cmd/t009 and 290 more)");
  }

  @Test
  void shouldSaySoWhenThereIsNoMainPackage() {
    assertThatThrownBy(() -> choose())
        .hasMessageContaining("no main package")
        .hasMessageContaining("./cmd/<name>/");
  }

  @Test
  void shouldRefuseToPickAroundAMainPackageItCannotBuild() {
    assertThatThrownBy(
            () ->
                MainPackages.choose(
                    List.of("./cmd/shop"), 2, List.of("example.com/shop/cmd/a+b"), MODULE))
        .hasMessageContaining("'example.com/shop/cmd/a+b'")
        .hasMessageContaining("packages: [\"./cmd/shop\"]");
  }

  @Test
  void shouldRefusePackagesThatWouldBuildTheSameBinary() {
    MainPackages.requireDistinctBinaries(List.of(".", "./cmd/migrate"), MODULE);
    assertThatThrownBy(
            () -> MainPackages.requireDistinctBinaries(List.of("./cmd/shop", "."), MODULE))
        .hasMessageContaining("./cmd/shop and . would both build a binary named 'shop'");
    assertThatThrownBy(
            () ->
                MainPackages.requireDistinctBinaries(
                    List.of("./a/server", "./b/server/v2"), MODULE))
        .hasMessageContaining("'server'");
  }
}

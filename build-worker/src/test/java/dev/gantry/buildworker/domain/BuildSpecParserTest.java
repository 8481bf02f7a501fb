package dev.gantry.buildworker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildSpecParserTest {
  static final Set<String> PLATFORMS = Set.of("linux/amd64", "linux/arm64", "darwin/arm64");

  static BuildSpec parse(String yaml) {
    return BuildSpecParser.parse(yaml.getBytes(StandardCharsets.UTF_8), PLATFORMS::contains);
  }

  @Test
  void shouldTakeTheDefaultsForAnEmptyFile() {
    assertThat(parse("")).isEqualTo(BuildSpec.DEFAULT);
    assertThat(BuildSpec.DEFAULT.targets()).containsExactly("linux/amd64");
    // no packages: the build finds them (MainPackages)
    assertThat(BuildSpec.DEFAULT.packages()).isEmpty();
    assertThat(parse("packages: [\".\"]\n").packages()).containsExactly(".");
  }

  @Test
  void shouldReadEverySetting() {
    BuildSpec spec =
        parse(
            """
            packages: [".", "./cmd/migrate"]
            targets: [linux/amd64, linux/arm64, linux/arm64]
            ldflags:
              version: example.com/app/internal/build.Version
              commit: main.sha
            vet: true
            test: true
            """);
    assertThat(spec.packages()).containsExactly(".", "./cmd/migrate");
    assertThat(spec.targets()).containsExactly("linux/amd64", "linux/arm64");
    assertThat(spec.versionVariable()).isEqualTo("example.com/app/internal/build.Version");
    assertThat(spec.commitVariable()).isEqualTo("main.sha");
    assertThat(spec.vet()).isTrue();
    assertThat(spec.test()).isTrue();
  }

  @Test
  void shouldNameTheLineAndColumnOfASyntaxError() {
    assertThatThrownBy(() -> parse("targets: [linux/amd64\nvet: true\n"))
        .isInstanceOf(InvalidBuildSpecException.class)
        .hasMessageStartingWith(".gantry.yml, line ")
        .hasMessageContaining("column");
  }

  @Test
  void shouldRejectUnknownKeysRatherThanIgnoreATypo() {
    assertThatThrownBy(() -> parse("tagrets: [linux/amd64]\n"))
        .hasMessageContaining("unknown key 'tagrets'")
        .hasMessageContaining("line 1");
  }

  @Test
  void shouldRejectPackagesOutsideTheModuleAndFlagLikeEntries() {
    for (String bad : List.of("../other", "./a/../../b", "/etc", "-toolexec=x", "./cmd/x y", "")) {
      assertThatThrownBy(() -> parse("packages: [\"" + bad + "\"]\n"))
          .as(bad)
          .isInstanceOf(InvalidBuildSpecException.class)
          .hasMessageContaining("packages");
    }
  }

  @Test
  void shouldRejectPlatformsTheToolchainCannotBuild() {
    assertThatThrownBy(() -> parse("targets: [windows/amd64]\n"))
        .hasMessageContaining("windows/amd64")
        .hasMessageContaining("not a platform this Go toolchain can build");
    assertThatThrownBy(() -> parse("targets: [\"linux/amd64 -o /x\"]\n"))
        .hasMessageContaining("invalid entry");
  }

  @Test
  void shouldRejectLdflagVariablesThatAreNotVariables() {
    assertThatThrownBy(() -> parse("ldflags:\n  version: \"main.v -extldflags=-static\"\n"))
        .hasMessageContaining("ldflags.version");
    assertThatThrownBy(() -> parse("ldflags:\n  commit: version\n"))
        .hasMessageContaining("ldflags.commit");
  }

  @Test
  void shouldRejectAWrongTypeAndAHugeFile() {
    assertThatThrownBy(() -> parse("vet: maybe\n")).isInstanceOf(InvalidBuildSpecException.class);
    assertThatThrownBy(() -> parse("targets: linux/amd64\n"))
        .isInstanceOf(InvalidBuildSpecException.class);
    assertThatThrownBy(() -> parse("#".repeat(BuildSpecParser.MAX_BYTES + 1)))
        .hasMessageContaining("larger than");
  }

  @Test
  void shouldNameBinariesAfterTheirPackage() {
    assertThat(BuildSpec.binaryName(".", "example.com/shop/api")).isEqualTo("api");
    assertThat(BuildSpec.binaryName("./cmd/migrate", "example.com/shop")).isEqualTo("migrate");
    assertThat(BuildSpec.binaryName(".", "example.com/tool/v2")).isEqualTo("tool");
  }
}

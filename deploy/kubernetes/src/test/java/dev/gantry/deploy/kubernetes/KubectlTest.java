package dev.gantry.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubectlTest {

  @TempDir Path dir;

  @Test
  void shouldSayHowToGetKubectlWhenNoneIsOnThePath() {
    assertThatThrownBy(() -> Kubectl.locate(Map.of("PATH", dir.toString())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no kubectl on the PATH")
        .hasMessageContaining("GANTRY_KUBECTL")
        .hasMessageContaining("kubernetes-client");
  }

  @Test
  void shouldRefuseGantryKubectlWhenItIsNotAnExecutable() throws IOException {
    Path notExecutable = Files.writeString(dir.resolve("kubectl"), "#!/bin/sh\n");

    assertThatThrownBy(() -> Kubectl.locate(Map.of("GANTRY_KUBECTL", notExecutable.toString())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GANTRY_KUBECTL=" + notExecutable + " is not an executable file");
  }

  @Test
  void shouldPreferGantryKubectlWhenThePathHasAnotherOne() throws IOException {
    Path onPath = executable(Files.createDirectory(dir.resolve("bin")).resolve("kubectl"));
    Path chosen = executable(dir.resolve("kubectl-1.20"));

    assertThat(
            Kubectl.locate(
                Map.of("GANTRY_KUBECTL", chosen.toString(), "PATH", onPath.getParent().toString())))
        .isEqualTo(chosen);
    assertThat(Kubectl.locate(Map.of("PATH", "/nonexistent:" + onPath.getParent())))
        .isEqualTo(onPath);
  }

  private static Path executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}

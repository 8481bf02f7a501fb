package dev.gantry.deploy.kubernetes;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The kubectl that renders the overlays: {@code GANTRY_KUBECTL}, else {@code kubectl} on the PATH.
 * {@code ./gantry test} installs Debian's kubernetes-client when neither exists.
 */
final class Kubectl {

  static final String INSTALL_HINT =
      "kubectl is needed to render deploy/kubernetes: run ./gantry test (it installs Debian's"
          + " kubernetes-client), install kubectl, or set GANTRY_KUBECTL to a kubectl binary";

  private final Path binary;

  private Kubectl(Path binary) {
    this.binary = binary;
  }

  static Kubectl fromEnvironment() {
    return new Kubectl(locate(System.getenv()));
  }

  static Path locate(Map<String, String> env) {
    String configured = env.get("GANTRY_KUBECTL");
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException(
            "GANTRY_KUBECTL=" + configured + " is not an executable file. " + INSTALL_HINT);
      }
      return path;
    }
    String pathVariable = env.getOrDefault("PATH", "");
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no kubectl on the PATH. " + INSTALL_HINT);
  }

  /** {@code kubectl kustomize dir}: the rendered multi-document YAML. */
  String kustomize(Path dir) {
    try {
      Path stderr = Files.createTempFile("kustomize", ".err");
      try {
        Process process =
            new ProcessBuilder(binary.toString(), "kustomize", dir.toString())
                .redirectError(stderr.toFile())
                .start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(binary + " kustomize " + dir + " did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              binary
                  + " kustomize "
                  + dir
                  + " failed ("
                  + process.exitValue()
                  + "): "
                  + Files.readString(stderr));
        }
        return out;
      } finally {
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + binary, e);
    }
  }
}

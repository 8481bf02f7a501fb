package dev.gantry.deploy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The repository's scripts, and copies of them in a tree where nothing was ever built or run. */
final class Scripts {

  /** The repository root: this module lives in {@code deploy/local}. */
  static final Path REPO = Path.of("").toAbsolutePath().getParent().getParent();

  private Scripts() {}

  /** What a finished script printed. */
  record Run(int exitCode, String stdout, String stderr) {
    String both() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /**
   * Every shell script of ours: {@code ./gantry}, {@code .ci/run} and each {@code *.sh} outside
   * build output and state.
   */
  static List<Path> all() throws IOException {
    List<Path> scripts = new ArrayList<>(List.of(REPO.resolve("gantry"), REPO.resolve(".ci/run")));
    try (Stream<Path> files = Files.walk(REPO)) {
      files
          .filter(p -> p.getFileName().toString().endsWith(".sh"))
          .filter(p -> !REPO.relativize(p).toString().matches("(.*/)?(target|var|\\.git)/.*"))
          .sorted()
          .forEach(scripts::add);
    }
    return scripts;
  }

  /**
   * A tree with what {@code ./gantry} reads of a fresh clone — the entry point, deploy/local's
   * scripts and every pom.xml — and no target/, no var/.
   */
  static Path freshTree(Path dir) throws IOException {
    Path tree = Files.createDirectories(dir.resolve("clone"));
    copy("gantry", tree);
    try (Stream<Path> files = Files.walk(REPO)) {
      for (Path p :
          files
              .filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String rel = REPO.relativize(p).toString();
                    return !rel.matches("(.*/)?(target|var|\\.git|src)/.*")
                        && (rel.startsWith("deploy/local/") && rel.endsWith(".sh")
                            || p.getFileName().toString().equals("pom.xml"));
                  })
              .toList()) {
        copy(REPO.relativize(p).toString(), tree);
      }
    }
    return tree;
  }

  private static void copy(String relative, Path tree) throws IOException {
    Path target = tree.resolve(relative);
    Files.createDirectories(target.getParent());
    Files.copy(REPO.resolve(relative), target, StandardCopyOption.COPY_ATTRIBUTES);
  }

  /** An executable shell script at {@code file}. */
  static Path executable(Path file, String body) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "#!/bin/sh\n" + body);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs a command in {@code dir} with this process's environment less {@code GANTRY_ROOT} (which
   * {@code ./gantry test} exports for the real checkout), plus {@code env}.
   */
  static Run run(Path dir, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> environment = pb.environment();
    environment.remove("GANTRY_ROOT");
    environment.putAll(new HashMap<>(env));
    Path out = Files.createTempFile("script", ".out");
    Path err = Files.createTempFile("script", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end within 5 minutes");
      }
      return new Run(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}

package dev.gantry.buildworker.gotool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.GoFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Main packages as the real go command reports them, read as untrusted text. */
class GoListTest {
  static final String MODULE = "example.com/shop";
  static final String MAIN = "package main\n\nfunc main() {}\n";

  @TempDir Path dir;

  @Test
  void shouldFindTheMainPackagesGoBuildsAndNothingGoIgnores() throws Exception {
    Path src =
        module(
            Map.of(
                "cmd/shopd/main.go", MAIN,
                "cmd/shopd/gen.go", "//go:build ignore\n\npackage main\n\nfunc main() {}\n",
                "internal/store/store.go", "package store\n",
                "tools/gen/gen.go", "//go:build ignore\n\npackage main\n\nfunc main() {}\n",
                "testdata/fixture/main.go", MAIN,
                "_old/main.go", MAIN,
                "vendor/example.com/dep/main.go", MAIN,
                "nested/go.mod", "module example.com/nested\n\ngo 1.21\n",
                "nested/cmd/n/main.go", MAIN));

    GoList.Found found = list(src);

    assertThat(found.mains()).containsExactly("./cmd/shopd");
    assertThat(found.mainCount()).isEqualTo(1);
    assertThat(found.refused()).isEmpty();
  }

  @Test
  void shouldFindTheRootAndReadNoDependencyToDoIt() throws Exception {
    // the dependency is in no cache and no proxy: -find must not need it
    Path src =
        module(
            Map.of(
                "go.mod",
                "module " + MODULE + "\n\ngo 1.21\n\nrequire example.com/gone v1.0.0\n",
                "main.go",
                "package main\n\nimport _ \"example.com/gone\"\n\nfunc main() {}\n",
                "cmd/migrate/main.go",
                MAIN));

    assertThat(list(src).mains()).containsExactly(".", "./cmd/migrate");
  }

  @Test
  void shouldNotBeFooledByAFolderNameThatForgesALineOfOutput() throws Exception {
    // a folder name may hold a newline and tabs: this one makes go print a second line that
    // claims the module root is a main package
    Path src = module(Map.of("cmd/shopd/main.go", MAIN));
    Path forged = src.resolve("x\nmain\t" + MODULE);
    Files.createDirectories(forged);
    Files.writeString(forged.resolve("main.go"), MAIN);

    GoList.Found found = list(src);

    assertThat(found.mains()).containsExactly("./cmd/shopd");
    assertThat(found.refused()).containsExactly(MODULE);
  }

  @Test
  void shouldRefuseAPackageOutsideTheModuleOrTheCheckout() {
    Path root = dir.resolve("src");
    GoList.Reader reader = new GoList.Reader(MODULE, root, root);
    reader.accept("main\texample.com/other/cmd/x\t" + root.resolve("cmd/x"));
    reader.accept("main\t" + MODULE + "/cmd/x\t/etc");
    reader.accept("main\t" + MODULE + "/cmd/../../x\t" + root.resolve("cmd/../../x"));
    reader.accept("main\t" + MODULE + "/cmd/ok\t" + root.resolve("cmd/ok"));
    reader.accept("go: warning: something the go command says");

    GoList.Found found = reader.found();

    assertThat(found.mains()).containsExactly("./cmd/ok");
    assertThat(found.mainCount()).isEqualTo(4);
    assertThat(found.refused()).hasSize(3);
    assertThat(found.otherLines()).containsExactly("go: warning: something the go command says");
  }

  @Test
  void shouldKeepABoundedNumberOfPackagesAndCountTheRest() {
    Path root = dir.resolve("src");
    GoList.Reader reader = new GoList.Reader(MODULE, root, root);
    for (int i = 0; i < 10_000; i++) {
      reader.accept("main\t" + MODULE + "/cmd/t" + i + "\t" + root.resolve("cmd/t" + i));
      reader.accept("noise " + i);
    }

    GoList.Found found = reader.found();

    assertThat(found.mains()).hasSize(GoList.MAX_KEPT);
    assertThat(found.mainCount()).isEqualTo(10_000);
    assertThat(found.otherLines()).hasSize(GoList.MAX_OTHER_LINES);
  }

  private Path module(Map<String, String> files) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("go.mod"), "module " + MODULE + "\n\ngo 1.21\n");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = src.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    return src;
  }

  /** Runs go list as the worker does: the same arguments, no network, nothing inherited. */
  private GoList.Found list(Path src) throws Exception {
    List<String> argv = new ArrayList<>(List.of(GoFixture.go()));
    argv.addAll(GoList.MAIN_PACKAGES);
    ProcessBuilder pb = new ProcessBuilder(argv).directory(src.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment()
        .putAll(
            Map.of(
                "PATH", "/usr/bin:/bin",
                "HOME", dir.toString(),
                "GOCACHE", dir.resolve("gocache").toString(),
                "GOMODCACHE", dir.resolve("gomodcache").toString(),
                "GOPROXY", "off",
                "GOFLAGS", "-mod=readonly",
                "GOTOOLCHAIN", "local",
                "GOENV", "off"));
    Process p = pb.start();
    GoList.Reader reader = new GoList.Reader(MODULE, src, src.toRealPath());
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out.lines().forEach(reader);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join("\n", reader.found().otherLines())).isZero();
    return reader.found();
  }
}

package dev.gantry.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The real Go toolchain for tests, and a module proxy in a folder: no network is needed (nor
 * reachable here), yet modules resolve the way they do in production, through {@code GOPROXY}.
 */
public final class GoFixture {
  private static final long TIMEOUT_SECONDS = 300;

  private GoFixture() {}

  /**
   * The go binary: {@code GANTRY_GO} (set by {@code ./gantry test}), then Debian's Go 1.23 from
   * bookworm-backports, then {@code go} on PATH.
   *
   * @throws IllegalStateException saying how to get Go when none is found
   */
  public static String go() {
    String env = System.getenv("GANTRY_GO");
    if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
      return env;
    }
    Path debian = Path.of("/usr/lib/go-1.23/bin/go");
    if (Files.isExecutable(debian)) {
      return debian.toString();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "go");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        "Go ≥ 1.23 was not found: run the tests with ./gantry test, which installs it, or set"
            + " GANTRY_GO to a go binary");
  }

  /** A module proxy in the file layout {@code <module>/@v/{list,<v>.info,<v>.mod,<v>.zip}}. */
  public static final class ModuleProxy {
    private final Path dir;

    private ModuleProxy(Path dir) {
      this.dir = dir;
    }

    public static ModuleProxy create(Path dir) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new ModuleProxy(dir.toAbsolutePath());
    }

    /** {@code GOPROXY=file:///…}. */
    public String url() {
      String uri = dir.toUri().toString();
      return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /**
     * Publishes {@code module@version} with {@code files} (path → content; a go.mod is made when
     * missing). The module path must be lower case (no {@code !} escaping here).
     */
    public void add(String module, String version, Map<String, String> files) {
      Map<String, String> all = new TreeMap<>(files);
      all.putIfAbsent("go.mod", "module " + module + "\n\ngo 1.21\n");
      Path v = dir.resolve(module).resolve("@v");
      try {
        Files.createDirectories(v);
        Files.writeString(v.resolve(version + ".mod"), all.get("go.mod"));
        Files.writeString(
            v.resolve(version + ".info"),
            "{\"Version\":\""
                + version
                + "\",\"Time\":\""
                + Instant.parse("2026-01-01T00:00:00Z")
                + "\"}\n");
        try (OutputStream out = Files.newOutputStream(v.resolve(version + ".zip"));
            ZipOutputStream zip = new ZipOutputStream(out)) {
          for (Map.Entry<String, String> f : all.entrySet()) {
            zip.putNextEntry(new ZipEntry(module + "@" + version + "/" + f.getKey()));
            zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
          }
        }
        Path list = v.resolve("list");
        List<String> versions =
            new ArrayList<>(Files.exists(list) ? Files.readAllLines(list) : List.of());
        if (!versions.contains(version)) {
          versions.add(version);
        }
        Files.writeString(list, String.join("\n", versions) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * The go.sum a module with {@code goMod} needs, computed by the real go command ({@code go mod
     * tidy} against this proxy, in a scratch folder).
     */
    public String goSum(Path scratch, String goMod, Map<String, String> sources) {
      try {
        Files.createDirectories(scratch);
        Files.writeString(scratch.resolve("go.mod"), goMod);
        for (Map.Entry<String, String> f : sources.entrySet()) {
          Path p = scratch.resolve(f.getKey());
          Files.createDirectories(p.getParent());
          Files.writeString(p, f.getValue());
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", scratch.toString());
        env.put("GOPROXY", url());
        env.put("GOSUMDB", "off");
        env.put("GOFLAGS", "-mod=mod -modcacherw");
        env.put("GOTOOLCHAIN", "local");
        env.put("GOENV", "off");
        env.put("GOTELEMETRY", "off");
        env.put("GOCACHE", scratch.resolve(".cache").toString());
        env.put("GOMODCACHE", scratch.resolve(".modcache").toString());
        run(List.of(go(), "mod", "tidy"), scratch, env, "go mod tidy");
        Path sum = scratch.resolve("go.sum");
        return Files.exists(sum) ? Files.readString(sum) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Runs {@code argv} in {@code dir} with exactly {@code env}; fails with its output. */
  static void run(List<String> argv, Path dir, Map<String, String> env, String what) {
    try {
      ProcessBuilder pb =
          new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(what + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " interrupted", e);
    }
  }
}

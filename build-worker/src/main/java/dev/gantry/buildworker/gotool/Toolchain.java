package dev.gantry.buildworker.gotool;

import dev.gantry.buildworker.process.Command;
import dev.gantry.buildworker.process.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Go toolchain a worker builds with, probed once at start: its exact {@code go version}, host
 * platform, the platforms it can target, and the GOCACHEPROG relay built with it.
 */
public final class Toolchain {
  private static final Pattern VERSION =
      Pattern.compile("go version go(\\d+)\\.(\\d+)(\\S*) (\\S+)/(\\S+)");
  // building cmd/go once per cluster takes half a minute on two idle cores, minutes on busy ones
  private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(10);

  private final String goBinary;
  private final String versionLine;
  private final int major;
  private final int minor;
  private final String hostOs;
  private final String hostArch;
  private final String goVersion;
  private final Set<String> platforms;
  private final Path cacheProg;
  private final Path goCommand;
  private final Path goRoot;
  static final String RELAY = "gantry-cacheprog";
  static final String GO = "go";

  /** Part of the tools' id: changing how they are built must not reuse older builds of them. */
  private static final String TOOLS_RECIPE = "2";

  private Toolchain(
      String goBinary,
      String versionLine,
      int major,
      int minor,
      String goVersion,
      String hostOs,
      String hostArch,
      Set<String> platforms,
      Path cacheProg,
      Path goCommand,
      Path goRoot) {
    this.goBinary = goBinary;
    this.versionLine = versionLine;
    this.major = major;
    this.minor = minor;
    this.goVersion = goVersion;
    this.hostOs = hostOs;
    this.hostArch = hostArch;
    this.platforms = platforms;
    this.cacheProg = cacheProg;
    this.goCommand = goCommand;
    this.goRoot = goRoot;
  }

  /**
   * Probes {@code goBinary} and readies its tools in {@code localDir/bin}: the cache relay and,
   * before Go 1.24, a go command built with {@code GOEXPERIMENT=cacheprog} (the experiment is a
   * constant of the go command itself, so setting it for a stock binary does nothing). Tools built
   * by one worker are published under {@code <shared root>/tools/} for the others.
   *
   * @throws IllegalStateException with the reason when the toolchain is missing or older than 1.21
   */
  public static Toolchain probe(String goBinary, Path localDir, Path sharedRoot)
      throws IOException, InterruptedException {
    Path scratch = Files.createDirectories(localDir.resolve("toolchain-probe"));
    Map<String, String> env = baseEnv(localDir, scratch);
    String versionLine = run(goBinary, scratch, env, "version").strip();
    Matcher m = VERSION.matcher(versionLine);
    if (!m.find()) {
      throw new IllegalStateException(goBinary + " version printed '" + versionLine + "'");
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    if (major != 1 || minor < 21) {
      throw new IllegalStateException(
          "Go 1.21 or newer is needed for the shared build cache (GOCACHEPROG); "
              + goBinary
              + " is "
              + versionLine);
    }
    String goVersion = "go" + m.group(1) + "." + m.group(2) + m.group(3);
    Set<String> platforms =
        new TreeSet<>(List.of(run(goBinary, scratch, env, "tool", "dist", "list").split("\\s+")));
    platforms.remove("");
    Path goRoot = Path.of(run(goBinary, scratch, env, "env", "GOROOT").strip());
    boolean experiment = major == 1 && minor < 24;
    byte[] relaySource = resource("/gantry/cacheprog/main.go");
    String id =
        sha256(
                (TOOLS_RECIPE + "\n" + versionLine + "\n" + goRoot + "\n" + experiment)
                    .getBytes(StandardCharsets.UTF_8),
                relaySource)
            .substring(0, 16);
    Path bin = localDir.resolve("bin").resolve(id);
    if (!Files.isExecutable(bin.resolve(RELAY))
        || experiment && !Files.isExecutable(bin.resolve(GO))) {
      SharedTools shared = new SharedTools(sharedRoot.resolve("tools"), id);
      if (!shared.copyTo(bin)) {
        Path built =
            Files.createDirectories(
                scratch.resolve("tools-" + id + "-" + java.util.UUID.randomUUID()));
        Map<String, String> buildEnv = new LinkedHashMap<>(env);
        Path src = Files.createDirectories(scratch.resolve("cacheprog"));
        Files.write(src.resolve("main.go"), relaySource);
        buildEnv.put("GO111MODULE", "off");
        run(
            goBinary,
            src,
            buildEnv,
            "build",
            "-trimpath",
            "-o",
            built.resolve(RELAY).toString(),
            "main.go");
        if (experiment) {
          Map<String, String> cmdEnv = new LinkedHashMap<>(env);
          cmdEnv.put("GOEXPERIMENT", "cacheprog");
          cmdEnv.put("GOFLAGS", "");
          // the same version string as the stock command: the go command hands it to the
          // compiler, which refuses a go command whose version differs from its own
          String stockVersion = run(goBinary, scratch, env, "env", "GOVERSION").strip();
          run(
              goBinary,
              scratch,
              cmdEnv,
              "build",
              "-trimpath",
              "-ldflags=-X runtime.buildVersion=" + stockVersion,
              "-o",
              built.resolve(GO).toString(),
              "cmd/go");
        }
        shared.publish(built);
        if (!shared.copyTo(bin)) {
          throw new IllegalStateException(
              "the tools just published under " + shared.dir() + " do not check out");
        }
      }
    }
    return new Toolchain(
        goBinary,
        versionLine,
        major,
        minor,
        goVersion,
        m.group(4),
        m.group(5),
        platforms,
        bin.resolve(RELAY),
        experiment ? bin.resolve(GO) : goRoot.resolve("bin").resolve("go"),
        goRoot);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = Toolchain.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " missing from the worker");
      }
      return in.readAllBytes();
    }
  }

  /** The environment of the probe and of the relay's own build: local caches, nothing inherited. */
  private static Map<String, String> baseEnv(Path localDir, Path scratch) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", scratch.toString());
    env.put("GOCACHE", localDir.resolve("gocache").toString());
    env.put("GOPATH", localDir.resolve("gopath").toString());
    env.put("GOTOOLCHAIN", "local");
    env.put("GOENV", "off");
    env.put("GOTELEMETRY", "off");
    env.put("GOPROXY", "off");
    env.put("CGO_ENABLED", "0");
    return env;
  }

  private static String run(String go, Path dir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(go);
    argv.addAll(List.of(args));
    StringBuilder out = new StringBuilder();
    ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(2));
    ProcessRunner.Result result;
    try {
      result =
          runner.run(
              new Command(argv, dir, env), PROBE_TIMEOUT, l -> out.append(l).append('\n'), null);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run the Go toolchain '"
              + go
              + "' (set gantry.worker.go.binary): "
              + e.getMessage(),
          e);
    }
    if (!result.ok()) {
      throw new IllegalStateException(
          go
              + " "
              + String.join(" ", args)
              + " failed (exit "
              + result.exitCode()
              + "): "
              + out.toString().strip());
    }
    return out.toString();
  }

  private static String sha256(byte[]... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        sha.update(p);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String goBinary() {
    return goBinary;
  }

  /** The exact {@code go version} line, recorded with every build. */
  public String versionLine() {
    return versionLine;
  }

  /** {@code go1.23.5}. */
  public String goVersion() {
    return goVersion;
  }

  /** The namespace of this toolchain's objects in the cache tiers. */
  public String cacheNamespace() {
    return goVersion + "-" + hostOs + "-" + hostArch;
  }

  public String hostPlatform() {
    return hostOs + "/" + hostArch;
  }

  public boolean supports(String platform) {
    return platforms.contains(platform);
  }

  public Set<String> platforms() {
    return platforms;
  }

  public Path goRoot() {
    return goRoot;
  }

  public Path cacheProg() {
    return cacheProg;
  }

  /**
   * The go command builds run: the toolchain's own from Go 1.24, before that one built with the
   * cacheprog experiment. It needs {@code GOROOT} set to {@link #goRoot()}.
   */
  public Path goCommand() {
    return goCommand;
  }
}

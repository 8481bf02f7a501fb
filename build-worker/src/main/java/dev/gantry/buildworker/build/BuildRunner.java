package dev.gantry.buildworker.build;

import dev.gantry.buildworker.domain.BuildSpec;
import dev.gantry.buildworker.domain.BuildSpecParser;
import dev.gantry.buildworker.domain.InvalidBuildSpecException;
import dev.gantry.buildworker.domain.MainPackages;
import dev.gantry.buildworker.domain.Versions;
import dev.gantry.buildworker.domain.WorkerSettings;
import dev.gantry.buildworker.git.GitMirror;
import dev.gantry.buildworker.git.GitSource;
import dev.gantry.buildworker.gotool.BuildCache;
import dev.gantry.buildworker.gotool.CacheProgServer;
import dev.gantry.buildworker.gotool.CacheStatsCounter;
import dev.gantry.buildworker.gotool.GoList;
import dev.gantry.buildworker.gotool.ModuleCache;
import dev.gantry.buildworker.gotool.Toolchain;
import dev.gantry.buildworker.process.Command;
import dev.gantry.events.build.BuildCancelled;
import dev.gantry.events.build.BuildFailed;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.build.RefType;
import dev.gantry.events.id.AppName;
import dev.gantry.events.id.BuildId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * One build, stage by stage: fetch, checkout, config, modules, vet, test, build, publish. Every
 * program gets an argument list and an allow-listed environment; output goes to the build log; a
 * cancel stops the running program's process group; the deadline fails the build.
 */
public final class BuildRunner {
  private static final Logger LOG = Logger.getLogger(BuildRunner.class);
  private static final Pattern MODULE =
      Pattern.compile("(?m)^\\s*module\\s+\"?([^\\s\"/]+(?:/[^\\s\"]+)*)\"?\\s*(?://.*)?$");
  private static final int FETCH_ATTEMPTS = 3;
  // go list -find reads package clauses only: a second for a large module; more means a hostile one
  private static final Duration DISCOVERY_TIMEOUT = Duration.ofMinutes(2);

  /** How a build ended. Exactly one field is set, or none when the worker is shutting down. */
  public record Outcome(BuildSucceeded succeeded, BuildFailed failed, BuildCancelled cancelled) {
    public String name() {
      return succeeded != null
          ? "succeeded"
          : failed != null ? "failed" : cancelled != null ? "cancelled" : "abandoned";
    }
  }

  private final WorkerSettings settings;
  private final Toolchain toolchain;
  private final BuildCache cache;
  private final ModuleCache modules;
  private final GitMirror git;
  private final ArtifactPublisher publisher;
  private final ExecutorService cachePool;
  private final Path socketDir;

  public BuildRunner(
      WorkerSettings settings, Toolchain toolchain, ExecutorService cachePool, Path socketDir) {
    this.settings = settings;
    this.toolchain = toolchain;
    this.cache =
        new BuildCache(settings.localDir(), settings.sharedRoot(), toolchain.cacheNamespace());
    this.modules = new ModuleCache(settings.sharedRoot());
    this.git = new GitMirror(settings.sharedRoot(), settings.localMode());
    this.publisher = new ArtifactPublisher(settings.sharedRoot());
    this.cachePool = cachePool;
    this.socketDir = socketDir;
  }

  public BuildCache cache() {
    return cache;
  }

  /**
   * Runs the build to its end. Never throws: every way a build can end is an outcome.
   *
   * @param onStage told the name of each stage as it starts, for metrics
   */
  public Outcome run(BuildRequested req, RunningBuild handle, StageTimer onStage) {
    Instant started = Instant.now();
    Instant deadline = started.plus(settings.buildTimeout());
    Map<String, Long> stageMillis = new LinkedHashMap<>();
    CacheStatsCounter stats = new CacheStatsCounter();
    BuildLog log;
    try {
      log = BuildLog.open(settings.sharedRoot(), safeId(req.buildId()));
    } catch (IOException | IllegalArgumentException e) {
      return failed(
          req, "request", null, "cannot open the build log: " + e.getMessage(), List.of());
    }
    try (log;
        Workspace ws = Workspace.create(settings.localDir(), safeId(req.buildId()))) {
      log.step("=== build " + req.buildId() + " attempt on worker " + settings.workerId() + " ===");
      Exec exec =
          new Exec(
              handle.runner(),
              log,
              deadline,
              settings.buildTimeout(),
              ws.pgidFile(),
              handle::reason);
      try {
        return build(req, handle, onStage, ws, exec, log, stats, stageMillis, started);
      } catch (StageFailure f) {
        log.step("FAILED at " + f.stage() + ": " + f.getMessage());
        return failed(req, f.stage(), f.exitCode(), f.getMessage(), log.tail());
      } catch (Cancelled c) {
        log.step("CANCELLED: " + c.getMessage());
        if (handle.abandoned()) {
          return new Outcome(null, null, null);
        }
        return new Outcome(
            null,
            null,
            new BuildCancelled(
                req.buildId(), req.repo(), req.refName(), c.getMessage(), Instant.now()));
      }
    } catch (IOException | RuntimeException e) {
      LOG.errorf(e, "build %s failed inside the worker", req.buildId());
      return failed(req, "worker", null, "the worker failed: " + e, List.of());
    }
  }

  private Outcome build(
      BuildRequested req,
      RunningBuild handle,
      StageTimer onStage,
      Workspace ws,
      Exec exec,
      BuildLog log,
      CacheStatsCounter stats,
      Map<String, Long> stageMillis,
      Instant started)
      throws StageFailure, Cancelled, IOException {
    // --- request: everything in the event is checked again here
    String commit;
    String app;
    Path mirror;
    String cloneUrl;
    try {
      commit = GitSource.commit(req.commit());
      mirror = git.mirrorOf(req.repo());
      cloneUrl = GitSource.cloneUrl(req.cloneUrl(), settings.localMode());
      app = appName(req);
    } catch (IllegalArgumentException e) {
      throw new StageFailure("request", null, "invalid build request: " + e.getMessage());
    }
    Map<String, String> gitEnv = GitMirror.env(ws.home());

    // --- fetch
    Stage stage = new Stage("fetch", stageMillis, onStage, handle);
    if (!Files.isDirectory(mirror.resolve("objects"))) {
      Path temp = GitMirror.tempSibling(mirror);
      Files.createDirectories(mirror.getParent());
      for (List<String> cmd : git.createCommands(mirror, temp)) {
        exec.run("fetch", new Command(cmd, ws.root(), gitEnv));
      }
      if (!GitMirror.install(temp, mirror)) {
        ArtifactPublisher.deleteTree(temp);
      }
    }
    Command has = new Command(git.hasCommit(mirror, commit), ws.root(), gitEnv);
    if (exec.succeeds(has)) {
      log.step("commit " + commit + " is already in the shared mirror: no fetch");
    } else {
      fetch(exec, log, mirror, cloneUrl, gitEnv);
      if (!exec.succeeds(has)) {
        throw new StageFailure(
            "fetch",
            null,
            "commit " + commit + " is not in " + redact(cloneUrl) + " (was it force-pushed away?)");
      }
    }
    stage.end();

    // --- checkout
    stage = new Stage("checkout", stageMillis, onStage, handle);
    exec.run("checkout", new Command(git.cloneShared(mirror, ws.src()), ws.root(), gitEnv));
    exec.run("checkout", new Command(git.checkout(ws.src(), commit), ws.src(), gitEnv));
    String head =
        exec.capture("checkout", new Command(git.head(ws.src()), ws.src(), gitEnv), true).strip();
    if (!head.equals(commit)) {
      throw new StageFailure("checkout", null, "HEAD is " + head + " after checking out " + commit);
    }
    long commitSeconds =
        Long.parseLong(
            exec.capture("checkout", new Command(git.commitTime(ws.src()), ws.src(), gitEnv), true)
                .strip());
    String version;
    try {
      version =
          req.refType() == RefType.TAG
              ? Versions.ofTag(req.version() != null ? req.version() : req.refName())
              : Versions.pseudo(Instant.ofEpochSecond(commitSeconds), commit);
    } catch (IllegalArgumentException e) {
      throw new StageFailure("checkout", null, e.getMessage());
    }
    log.step("checked out " + commit + " (HEAD verified); version " + version);
    stage.end();

    // --- config
    stage = new Stage("config", stageMillis, onStage, handle);
    BuildSpec spec = readSpec(ws.src());
    String modulePath = readModulePath(ws.src());
    List<String> packages =
        spec.packages().isEmpty()
            ? findMainPackages(exec, ws, log, modulePath, spec.targets().get(0))
            : spec.packages();
    try {
      MainPackages.requireDistinctBinaries(packages, modulePath);
    } catch (InvalidBuildSpecException e) {
      throw new StageFailure("config", null, e.getMessage());
    }
    log.step(
        "module "
            + modulePath
            + "; packages "
            + packages
            + "; targets "
            + spec.targets()
            + (spec.vet() ? "; vet" : "")
            + (spec.test() ? "; test" : ""));
    stage.end();

    List<ArtifactPublisher.Built> built = new ArrayList<>();
    String ldflags =
        "-ldflags=-X "
            + spec.versionVariable()
            + "="
            + version
            + " -X "
            + spec.commitVariable()
            + "="
            + commit;
    try (CacheProgServer server =
        CacheProgServer.start(
            socketDir.resolve(Long.toHexString(System.nanoTime()) + ".sock"),
            cache,
            stats,
            cachePool)) {
      Map<String, String> goEnv = goEnv(ws, server.socket());

      // --- modules
      stage = new Stage("modules", stageMillis, onStage, handle);
      exec.run("modules", go(ws, goEnv, toolchain.hostPlatform(), "mod", "download"));
      int published =
          modules.publishFrom(
              settings.localDir().resolve("gomodcache").resolve("cache").resolve("download"));
      if (published > 0) {
        log.step("published " + published + " module file(s) to the shared module cache");
      }
      stage.end();

      if (spec.vet()) {
        stage = new Stage("vet", stageMillis, onStage, handle);
        exec.run("vet", go(ws, goEnv, toolchain.hostPlatform(), "vet", "./..."));
        stage.end();
      }
      if (spec.test()) {
        stage = new Stage("test", stageMillis, onStage, handle);
        exec.run("test", go(ws, goEnv, toolchain.hostPlatform(), "test", "-trimpath", "./..."));
        stage.end();
      }

      // --- build
      stage = new Stage("build", stageMillis, onStage, handle);
      for (String target : spec.targets()) {
        String[] osArch = target.split("/");
        for (String pkg : packages) {
          String binary =
              BuildSpec.binaryName(pkg, modulePath) + (osArch[0].equals("windows") ? ".exe" : "");
          Path out = ws.out().resolve(osArch[0] + "_" + osArch[1]).resolve(binary);
          exec.run(
              "build",
              go(
                  ws,
                  goEnv,
                  target,
                  "build",
                  "-trimpath",
                  "-buildvcs=false",
                  ldflags,
                  "-o",
                  out.toString(),
                  "--",
                  pkg));
          built.add(new ArtifactPublisher.Built(osArch[0], osArch[1], binary, out));
        }
      }
      stage.end();
      log.step(stats.toString());
    }

    // --- publish: the last moment a cancel can still win
    handle.enterPublish();
    stage = new Stage("publish", stageMillis, onStage, handle);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("buildId", req.buildId());
    manifest.put("app", app);
    manifest.put("repo", req.repo());
    manifest.put("ref", req.ref());
    manifest.put("commit", commit);
    manifest.put("version", version);
    manifest.put("toolchain", toolchain.versionLine());
    manifest.put(
        "env",
        Map.of("CGO_ENABLED", "0", "GOFLAGS", "-mod=readonly -modcacherw", "GOTOOLCHAIN", "local"));
    manifest.put("flags", List.of("-trimpath", "-buildvcs=false", ldflags));
    manifest.put("targets", spec.targets());
    manifest.put("worker", settings.workerId());
    manifest.put("startedAt", started.toString());
    manifest.put("finishedAt", Instant.now().toString());
    manifest.put("stageMillis", stageMillis);
    manifest.put("cache", stats.toEvent());
    ArtifactPublisher.Published published =
        publisher.publish(app, version, commit, built, manifest);
    stage.end();
    log.step(
        (published.alreadyThere() ? "already published: " : "published ")
            + publisher.versionDir(app, version));
    Instant finished = Instant.now();
    log.step("SUCCEEDED in " + Duration.between(started, finished).toMillis() + " ms");
    return new Outcome(
        new BuildSucceeded(
            req.buildId(),
            req.repo(),
            req.refName(),
            app,
            commit,
            version,
            toolchain.versionLine(),
            published.artifacts(),
            stageMillis,
            stats.toEvent(),
            started,
            finished),
        null,
        null);
  }

  private void fetch(
      Exec exec, BuildLog log, Path mirror, String cloneUrl, Map<String, String> gitEnv)
      throws StageFailure, Cancelled {
    for (int attempt = 1; ; attempt++) {
      try {
        exec.run("fetch", new Command(git.fetch(mirror, cloneUrl), mirror, gitEnv));
        return;
      } catch (StageFailure f) {
        if (attempt == FETCH_ATTEMPTS) {
          throw new StageFailure(
              "fetch",
              f.exitCode(),
              "git fetch from " + redact(cloneUrl) + " failed " + attempt + " times; see the log");
        }
        // another worker may hold a ref lock in the same mirror: a moment later it is free
        log.step("fetch attempt " + attempt + " failed; retrying");
        try {
          Thread.sleep(500L * attempt + (long) (Math.random() * 500));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Cancelled("the worker is shutting down");
        }
      }
    }
  }

  private BuildSpec readSpec(Path src) throws StageFailure {
    Path file = src.resolve(BuildSpecParser.FILE);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return BuildSpec.DEFAULT;
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new StageFailure(
          "config", null, BuildSpecParser.FILE + " is not a regular file (a symbolic link?)");
    }
    try {
      if (Files.size(file) > BuildSpecParser.MAX_BYTES) {
        throw new StageFailure(
            "config",
            null,
            BuildSpecParser.FILE + " is larger than " + BuildSpecParser.MAX_BYTES + " bytes");
      }
      return BuildSpecParser.parse(Files.readAllBytes(file), toolchain::supports);
    } catch (InvalidBuildSpecException e) {
      throw new StageFailure("config", null, e.getMessage());
    } catch (IOException e) {
      throw new StageFailure(
          "config", null, BuildSpecParser.FILE + " cannot be read: " + e.getMessage());
    }
  }

  /**
   * The packages to build when {@code .gantry.yml} names none, as the go command sees the module
   * for the first target (build constraints can hide a package on other platforms).
   */
  private List<String> findMainPackages(
      Exec exec, Workspace ws, BuildLog log, String modulePath, String platform)
      throws StageFailure, Cancelled, IOException {
    GoList.Reader reader = new GoList.Reader(modulePath, ws.src(), ws.src().toRealPath());
    try {
      // no cache relay yet: go list -find compiles nothing, and the relay starts with the build
      exec.read(
          "config",
          go(ws, goEnv(ws, null), platform, GoList.MAIN_PACKAGES.toArray(String[]::new)),
          DISCOVERY_TIMEOUT,
          reader);
    } finally {
      reader.found().otherLines().forEach(log::line); // the go command's own messages
    }
    GoList.Found found = reader.found();
    List<String> all = new ArrayList<>(found.mains());
    all.addAll(found.refused());
    log.step(
        BuildSpecParser.FILE
            + " names no main package; go list found "
            + (all.isEmpty() ? "none" : String.join(", ", all)));
    try {
      return MainPackages.choose(found.mains(), found.mainCount(), found.refused(), modulePath);
    } catch (InvalidBuildSpecException e) {
      throw new StageFailure("config", null, e.getMessage());
    }
  }

  private static String readModulePath(Path src) throws StageFailure {
    Path goMod = src.resolve("go.mod");
    if (!Files.isRegularFile(goMod, LinkOption.NOFOLLOW_LINKS)) {
      throw new StageFailure(
          "config",
          null,
          "go.mod not found at the repository root: build-worker builds Go modules"
              + " (is this a Go repository?)");
    }
    try {
      Matcher m = MODULE.matcher(Files.readString(goMod, StandardCharsets.UTF_8));
      if (!m.find()) {
        throw new StageFailure("config", null, "go.mod: no 'module' line");
      }
      return m.group(1);
    } catch (IOException e) {
      throw new StageFailure("config", null, "go.mod cannot be read: " + e.getMessage());
    }
  }

  private Command go(Workspace ws, Map<String, String> goEnv, String platform, String... args) {
    Map<String, String> env = new LinkedHashMap<>(goEnv);
    String[] osArch = platform.split("/");
    env.put("GOOS", osArch[0]);
    env.put("GOARCH", osArch[1]);
    List<String> argv = new ArrayList<>();
    argv.add(toolchain.goCommand().toString());
    argv.addAll(List.of(args));
    return new Command(argv, ws.src(), env);
  }

  /**
   * The whole environment of the go command: an allow-list. Nothing of the worker's own environment
   * (tokens, passwords) reaches a build.
   *
   * @param socket the cache relay's, or null before it runs
   */
  private Map<String, String> goEnv(Workspace ws, Path socket) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", toolchain.goRoot().resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", ws.home().toString());
    env.put("GOROOT", toolchain.goRoot().toString());
    env.put("TMPDIR", ws.tmp().toString());
    env.put("GOTMPDIR", ws.tmp().toString());
    env.put("LANG", "C");
    env.put("GOCACHE", settings.localDir().resolve("gocache").toString());
    env.put("GOMODCACHE", settings.localDir().resolve("gomodcache").toString());
    env.put("GOPATH", settings.localDir().resolve("gopath").toString());
    env.put("GOPROXY", modules.goproxy(settings.upstreamProxy()));
    env.put("GOSUMDB", settings.sumdb());
    if (settings.privatePatterns() != null && !settings.privatePatterns().isBlank()) {
      env.put("GOPRIVATE", settings.privatePatterns());
    }
    env.put("GOTOOLCHAIN", "local");
    // the module cache stays writable so the worker can clean it; a build runs as the worker's
    // user and could write to its caches anyway, so read-only directories would protect nothing
    env.put("GOFLAGS", "-mod=readonly -modcacherw");
    env.put("CGO_ENABLED", "0");
    env.put("GOENV", "off");
    env.put("GOTELEMETRY", "off");
    if (socket != null) {
      env.put("GOCACHEPROG", toolchain.cacheProg() + " " + socket);
    }
    return env;
  }

  static String appName(BuildRequested req) {
    String app = req.appName();
    if (app == null || app.isBlank()) {
      String repo = req.repo() == null ? "" : req.repo();
      app = repo.substring(repo.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }
    return AppName.parse(app).value();
  }

  /** A build id names the build's log and workspace, and build-api finds the log by its UUID. */
  static String safeId(String id) {
    return BuildId.parse(id).value();
  }

  static String redact(String url) {
    return BuildLog.mask(url);
  }

  private static Outcome failed(
      BuildRequested req, String stage, Integer exit, String message, List<String> tail) {
    return new Outcome(
        null,
        new BuildFailed(
            req.buildId(),
            req.repo(),
            req.refName(),
            req.commit(),
            stage,
            exit,
            message,
            tail,
            Instant.now()),
        null);
  }

  /** Times one stage into the build's stage durations and the worker's metrics. */
  private static final class Stage {
    private final String name;
    private final Map<String, Long> millis;
    private final StageTimer timer;
    private final long start = System.nanoTime();

    Stage(String name, Map<String, Long> millis, StageTimer timer, RunningBuild handle)
        throws Cancelled {
      if (handle.cancelRequested()) {
        throw new Cancelled(handle.reason());
      }
      this.name = name;
      this.millis = millis;
      this.timer = timer;
    }

    void end() {
      long nanos = System.nanoTime() - start;
      millis.put(name, nanos / 1_000_000);
      timer.record(name, Duration.ofNanos(nanos));
    }
  }
}

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.Topics;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.build.CacheStats;
import dev.gantry.events.build.RefType;
import dev.gantry.testkit.EventRecord;
import dev.gantry.testkit.GitFixture;
import dev.gantry.testkit.KafkaEvents;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The build-cache benchmark: real build-worker processes (the jar ./gantry up builds) on a shared
 * root of their own, building a generated Go service of many packages.
 *
 * <p>Per run: (1) cold: worker A, empty caches; (2) warm local: A again, a commit whose Go code is
 * the same; (3) shared tier only: a fresh worker B (empty local disk) builds that commit; (4) fully
 * cached rebuild with a new version string: A builds a tag of it. Link time is measured with the
 * stock go command and {@code -debug-trace} on the same code.
 */
public final class BuildCacheBench {
  static final ObjectMapper JSON = new ObjectMapper();

  record Step(String name, long buildMillis, long totalMillis, CacheStats cache) {}

  record Run(Step cold, Step warmLocal, Step sharedOnly, Step rebuild, double linkMillis) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String kafka = opts.get("kafka");
    String go = opts.get("go");
    Path jar = Path.of(opts.get("worker-jar"));
    Path work = Path.of(opts.get("work")).toAbsolutePath();
    int runs = Integer.parseInt(opts.getOrDefault("runs", "3"));
    int packages = Integer.parseInt(opts.getOrDefault("packages", "60"));
    // a worker's JVM compiles its own hot code for a while after start, on the same two cores
    // as the build; letting it settle keeps that out of what the cache tiers are measured by
    int settle = Integer.parseInt(opts.getOrDefault("settle-seconds", "20"));

    GitFixture repo = GitFixture.createBare(work.resolve("repo-" + UUID.randomUUID()));
    Map<String, String> files = GoService.files(packages);
    String c1 = repo.commit("main", "generated service", files);
    Map<String, String> readme = new HashMap<>(files);
    readme.put("README.md", "The same Go code as the commit before.\n");
    String c2 = repo.commit("main", "docs only", readme);
    System.out.printf(
        "service: %d packages + main, %d Go files, %d lines%n",
        packages,
        files.keySet().stream().filter(f -> f.endsWith(".go")).count(),
        files.values().stream().mapToLong(s -> s.lines().count()).sum());

    List<Run> results = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      Path runDir = work.resolve("run-" + r + "-" + UUID.randomUUID().toString().substring(0, 8));
      Path shared = runDir.resolve("shared");
      String prefix = "bench-cache-" + runDir.getFileName();
      String events = prefix + "-events";
      String topicA = prefix + "-a";
      String topicB = prefix + "-b";
      for (String t : List.of(events, topicA, topicB)) {
        KafkaEvents.createTopic(kafka, t, 1);
      }
      Step cold, warm, sharedOnly, rebuild;
      try (Worker a = Worker.start(jar, go, kafka, "bench-a", 18181, topicA, events, shared, runDir.resolve("local-a"), runDir)) {
        Thread.sleep(settle * 1000L);
        cold = build(kafka, topicA, events, "cold", repo, c1, RefType.BRANCH, "main", null);
        warm = build(kafka, topicA, events, "warm local", repo, c2, RefType.BRANCH, "main", null);
        try (Worker b = Worker.start(jar, go, kafka, "bench-b", 18182, topicB, events, shared, runDir.resolve("local-b"), runDir)) {
          Thread.sleep(settle * 1000L);
          sharedOnly = build(kafka, topicB, events, "shared tier only", repo, c2, RefType.BRANCH, "main", null);
        }
        String tag = "v1.0." + r;
        repo.tag(tag, c2);
        rebuild = build(kafka, topicA, events, "cached, new version", repo, c2, RefType.TAG, tag, tag);
      }
      double link = linkMillis(go, repo, c2, runDir.resolve("link"));
      Run run = new Run(cold, warm, sharedOnly, rebuild, link);
      results.add(run);
      System.out.printf(
          "run %d: build stage cold %d ms, warm local %d ms, shared only %d ms (compiled packages"
              + " from cache %d of %d, all lookups %.2f %% hits), cached new version %d ms; link"
              + " alone %.0f ms%n",
          r,
          cold.buildMillis(),
          warm.buildMillis(),
          sharedOnly.buildMillis(),
          sharedOnly.cache().compileHits(),
          sharedOnly.cache().compileHits() + sharedOnly.cache().compileMisses(),
          100 * sharedOnly.cache().hitRatio(),
          rebuild.buildMillis(),
          link);
    }
    report(results);
  }

  static Step build(
      String kafka,
      String topic,
      String events,
      String name,
      GitFixture repo,
      String commit,
      RefType type,
      String refName,
      String version)
      throws Exception {
    String app = "bench";
    BuildRequested req =
        new BuildRequested(
            UUID.randomUUID().toString(),
            "bench",
            "local/bench/service",
            repo.url(),
            "github",
            type == RefType.TAG ? "refs/tags/" + refName : "refs/heads/" + refName,
            type,
            refName,
            commit,
            version,
            app,
            name,
            "bench",
            "manual",
            Instant.now());
    KafkaEvents.publish(kafka, topic, Topics.buildRequestKey(req.repo(), req.refName()), CloudEvent.of("bench", req));
    List<String> terminal =
        List.of("gantry.build.succeeded.v1", "gantry.build.failed.v1", "gantry.build.cancelled.v1");
    EventRecord done =
        KafkaEvents.await(
                kafka,
                events,
                e -> req.buildId().equals(e.key()) && terminal.contains(e.type()),
                1,
                Duration.ofMinutes(15))
            .get(0);
    if (!done.type().equals("gantry.build.succeeded.v1")) {
      throw new IllegalStateException(name + " did not succeed: " + done);
    }
    BuildSucceeded ok = done.data(BuildSucceeded.class);
    return new Step(
        name,
        ok.stageMillis().getOrDefault("build", -1L),
        Duration.between(ok.startedAt(), ok.finishedAt()).toMillis(),
        ok.cache());
  }

  /** How long the link of the service takes on its own: stock go, warm cache, a new -X value. */
  static double linkMillis(String go, GitFixture repo, String commit, Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(dir);
    run(dir, Map.of(), "git", "clone", "--quiet", "--", repo.url(), src.toString());
    run(src, Map.of(), "git", "checkout", "--quiet", "--detach", commit);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GOCACHE", dir.resolve("gocache").toString());
    env.put("GOTOOLCHAIN", "local");
    env.put("CGO_ENABLED", "0");
    env.put("GOFLAGS", "-mod=mod");
    env.put("GOPROXY", "off");
    run(src, env, go, "build", "-trimpath", "-ldflags=-X main.version=first", "-o", dir.resolve("bin").toString(), ".");
    Path trace = dir.resolve("trace.json");
    run(src, env, go, "build", "-trimpath", "-debug-trace=" + trace, "-ldflags=-X main.version=second", "-o", dir.resolve("bin").toString(), ".");
    String text = Files.readString(trace).strip();
    if (text.endsWith(",")) {
      text = text.substring(0, text.length() - 1);
    }
    if (!text.endsWith("]")) {
      text = text + "]";
    }
    double begin = -1;
    for (JsonNode e : JSON.readTree(text)) {
      String name = e.path("name").asText("");
      if (!name.startsWith("Executing action (link")) {
        continue;
      }
      if (e.path("ph").asText().equals("B")) {
        begin = e.path("ts").asDouble();
      } else if (e.path("ph").asText().equals("E") && begin >= 0) {
        return (e.path("ts").asDouble() - begin) / 1000.0;
      }
    }
    throw new IllegalStateException("no link action in " + trace);
  }

  static void run(Path dir, Map<String, String> env, String... argv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
    }
  }

  static void report(List<Run> runs) {
    double cold = median(runs, r -> r.cold().buildMillis());
    double warm = median(runs, r -> r.warmLocal().buildMillis());
    double shared = median(runs, r -> r.sharedOnly().buildMillis());
    double rebuild = median(runs, r -> r.rebuild().buildMillis());
    double link = median(runs, Run::linkMillis);
    double hit = median(runs, r -> r.sharedOnly().cache().compileHitRatio());
    // ratios within each run (the same minutes of the same machine), then their median
    double sharedOverWarm =
        median(runs, r -> (double) r.sharedOnly().buildMillis() / r.warmLocal().buildMillis());
    double coldOverShared =
        median(runs, r -> (double) r.cold().buildMillis() / r.sharedOnly().buildMillis());
    double rebuildOverLink = median(runs, r -> r.rebuild().buildMillis() - r.linkMillis());
    System.out.println();
    System.out.printf(
        "medians of %d run(s), build stage (go build, all targets); ratios are medians of the"
            + " per-run ratios:%n",
        runs.size());
    System.out.println("| step | median | target | met |");
    System.out.println("|---|---|---|---|");
    System.out.printf(Locale.ROOT, "| cold (empty caches) | %.1f s | | |%n", cold / 1000);
    System.out.printf(Locale.ROOT, "| warm local cache | %.2f s | | |%n", warm / 1000);
    System.out.printf(
        Locale.ROOT,
        "| fresh worker, warm shared tier | %.2f s | ≤ 1.5 × warm local: %.2f × | %s |%n",
        shared / 1000,
        sharedOverWarm,
        sharedOverWarm <= 1.5 ? "yes" : "NO");
    System.out.printf(
        Locale.ROOT,
        "| | | ≥ 10 × faster than cold: %.1f × | %s |%n",
        coldOverShared,
        coldOverShared >= 10 ? "yes" : "NO");
    System.out.printf(
        Locale.ROOT,
        "| fully cached, new version | %.2f s | ≤ link (%.2f s) + 1 s: link + %.2f s | %s |%n",
        rebuild / 1000,
        link / 1000,
        rebuildOverLink / 1000,
        rebuildOverLink <= 1000 ? "yes" : "NO");
    System.out.printf(
        Locale.ROOT,
        "| fresh worker: compiled packages served from cache | %.2f %% | ≥ 99 %% | %s |%n",
        hit * 100,
        hit >= 0.99 ? "yes" : "NO");
  }

  static <T> double median(List<T> values, ToDoubleFunction<T> f) {
    double[] v = values.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** A build-worker process, as ./gantry up runs it, with its own port, disk and topics. */
  static final class Worker implements AutoCloseable {
    private final Process process;

    private Worker(Process process) {
      this.process = process;
    }

    static Worker start(
        Path jar,
        String go,
        String kafka,
        String id,
        int port,
        String topic,
        String events,
        Path shared,
        Path local,
        Path logDir)
        throws Exception {
      ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString());
      Map<String, String> env = pb.environment();
      env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
      env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
      env.put("GANTRY_SHARED_ROOT", shared.toString());
      env.put("GANTRY_LOCAL_MODE", "true");
      env.put("GANTRY_WORKER_ID", id);
      env.put("GANTRY_WORKER_GROUP_ID", id + "-" + topic);
      env.put("GANTRY_WORKER_LOCAL_DIR", local.toString());
      env.put("GANTRY_WORKER_GO_BINARY", go);
      env.put("GANTRY_WORKER_GO_UPSTREAM_PROXY", "off");
      env.put("GANTRY_WORKER_GO_SUMDB", "off");
      env.put("GANTRY_TOPICS_BUILD_REQUESTS", topic);
      env.put("GANTRY_TOPICS_BUILD_EVENTS", events);
      Files.createDirectories(logDir);
      Path log = logDir.resolve(id + ".log");
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      Process p = pb.start();
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IllegalStateException(id + " exited; see " + log);
        }
        try {
          HttpResponse<Void> r =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return new Worker(p);
          }
        } catch (IOException notYet) {
          // still starting
        }
        Thread.sleep(500);
      }
      p.destroyForcibly();
      throw new IllegalStateException(id + " was not ready in 5 minutes; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** A Go service of many packages on the standard library only, like a mid-sized microservice. */
  static final class GoService {
    static Map<String, String> files(int packages) {
      Map<String, String> files = new LinkedHashMap<>();
      files.put("go.mod", "module example.com/benchsvc\n\ngo 1.21\n");
      StringBuilder main = new StringBuilder("package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n");
      for (int i = 0; i < packages; i++) {
        main.append(String.format("\tp%02d \"example.com/benchsvc/internal/p%02d\"%n", i, i));
        files.put(String.format("internal/p%02d/p%02d.go", i, i), pkg(i));
      }
      main.append(")\n\nvar version = \"dev\"\n\nfunc main() {\n\tif len(os.Args) > 1 {\n\t\tfmt.Println(version)\n\t\treturn\n\t}\n\ttotal := 0\n");
      for (int i = 0; i < packages; i++) {
        main.append(String.format("\ttotal += p%02d.Score(%d)%n", i, i));
      }
      main.append("\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, total) })\n");
      main.append("\t_ = http.ListenAndServe(\"127.0.0.1:0\", nil)\n}\n");
      files.put("main.go", main.toString());
      return files;
    }

    static String pkg(int i) {
      StringBuilder s = new StringBuilder();
      s.append(String.format("package p%02d%n%nimport (%n\t\"encoding/json\"%n\t\"fmt\"%n\t\"sort\"%n\t\"strings\"%n", i));
      if (i > 0) {
        s.append(String.format("\tprev \"example.com/benchsvc/internal/p%02d\"%n", i - 1));
      }
      if (i > 1 && i / 2 != i - 1) {
        s.append(String.format("\thalf \"example.com/benchsvc/internal/p%02d\"%n", i / 2));
      }
      s.append(")\n\n");
      for (int t = 0; t < 8; t++) {
        s.append(
            String.format(
                """
                type Record%1$d struct {
                \tID    int               `json:"id"`
                \tName  string            `json:"name"`
                \tTags  []string          `json:"tags"`
                \tAttrs map[string]string `json:"attrs"`
                }

                func (r Record%1$d) Key() string {
                \tvar b strings.Builder
                \tfor _, t := range r.Tags {
                \t\tb.WriteString(strings.ToUpper(t))
                \t\tb.WriteByte(',')
                \t}
                \treturn fmt.Sprintf("%%d/%%s/%%s", r.ID, r.Name, b.String())
                }

                func Sort%1$d(rs []Record%1$d) []byte {
                \tsort.Slice(rs, func(a, b int) bool { return rs[a].Key() < rs[b].Key() })
                \tout, _ := json.Marshal(rs)
                \treturn out
                }

                """,
                t));
      }
      s.append("func Score(n int) int {\n\tif n <= 0 {\n\t\treturn 0\n\t}\n\tr := Record0{ID: n, Name: fmt.Sprint(n), Tags: []string{\"a\", \"b\"}}\n\ttotal := len(Sort0([]Record0{r})) + len(r.Key())\n");
      if (i > 0) {
        s.append("\ttotal += prev.Score(n - 1)\n");
      }
      if (i > 1 && i / 2 != i - 1) {
        s.append("\ttotal += half.Score(n / 2)\n");
      }
      s.append("\treturn total\n}\n");
      return s.toString();
    }
  }
}

import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.Target;
import dev.gantry.monitor.judge.Judge;
import dev.gantry.monitor.judge.Judgement;
import dev.gantry.monitor.judge.Thresholds;
import dev.gantry.monitor.pprof.ProfileParser;
import dev.gantry.monitor.scrape.Fetcher;
import dev.gantry.monitor.scrape.Sample;
import dev.gantry.monitor.scrape.TargetScraper;
import dev.gantry.testkit.GoSample;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * monitor-service's benchmarks, on real Go programs (testkit's sample, built with the real go):
 *
 * <ol>
 *   <li>pprof parse throughput: gzipped goroutine profiles of a process with many goroutines,
 *       parsed (gunzip + protobuf + stack aggregation) on one thread, MB/s of gzipped input;
 *   <li>scrape capacity: goroutine-profile fetch-and-parse per second over HTTP, and the CPU this
 *       JVM spent on it (cores);
 *   <li>false positives: independent healthy-vs-healthy runs, each a window judged live on its
 *       own samples, over many freshly started canary and stable pairs;
 *   <li>detection latency: a canary that leaks (or answers 5xx) from its first request, scraped at
 *       the production interval, time from the first sample to the judge's FAIL.
 * </ol>
 *
 * <p>The judge and scraper are the service's own classes; Kafka and the database are not in the
 * loop here (their share of the latency is one produce with acks=all).
 */
public final class MonitorBench {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path work = Path.of(a.getOrDefault("work", "var/bench/monitor"));
    Files.createDirectories(work);
    Path binary = GoSample.build(work.resolve("sample"), "bench");
    String only = a.getOrDefault("only", "parse,scrape,fp,latency");
    if (only.contains("parse")) {
      parse(binary, Integer.parseInt(a.getOrDefault("goroutines", "10000")));
      parseLarge(Integer.parseInt(a.getOrDefault("stacks", "20000")));
    }
    if (only.contains("scrape")) {
      scrape(binary, Integer.parseInt(a.getOrDefault("scrape-seconds", "20")));
    }
    if (only.contains("fp")) {
      falsePositives(binary, Integer.parseInt(a.getOrDefault("fp-runs", "304")),
          Integer.parseInt(a.getOrDefault("fp-per-pair", "8")),
          Integer.parseInt(a.getOrDefault("fp-parallel", "10")),
          Duration.ofMillis(Long.parseLong(a.getOrDefault("fp-interval-ms", "1000"))));
    }
    if (only.contains("latency")) {
      Duration interval = Duration.ofSeconds(Long.parseLong(a.getOrDefault("interval-s", "5")));
      latency(binary, "goroutine leak", Map.of("SAMPLE_LEAK_PER_REQUEST", "1"), interval);
      latency(binary, "5xx errors", Map.of("SAMPLE_ERROR_EVERY", "5"), interval);
    }
  }

  // --- 1. parse throughput ----------------------------------------------------------------------

  static void parse(Path binary, int goroutines) throws Exception {
    try (Proc p = Proc.start(binary, Map.of("SAMPLE_LEAK_PER_REQUEST", "100"))) {
      p.hit(goroutines / 100);
      byte[] profile = p.get("/debug/pprof/goroutine");
      byte[] heap = p.get("/debug/pprof/heap");
      ProfileParser parser = new ProfileParser(64 << 20);
      for (byte[] raw : List.of(profile, heap)) {
        String what = raw == profile ? "goroutine" : "heap";
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
          parser.parse(raw); // warm-up
        }
        long n = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 10_000_000_000L) {
          parser.parse(raw);
          n++;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "parse %-9s profile: %,d bytes gzipped (%d stacks, total %d), %,.0f parses/s,"
                + " %.1f MB/s of gzipped input on one thread%n",
            what, raw.length, parser.parse(raw).stackCount(), parser.parse(raw).totals()[0],
            n / s, n * raw.length / s / 1e6);
      }
    }
  }

  /**
   * A large profile of many distinct stacks (real Go services with thousands of goroutines in
   * hundreds of places): the sample's own profiles have a handful of stacks and are tiny, so they
   * measure per-call overhead, not throughput.
   */
  static void parseLarge(int stacks) throws Exception {
    java.util.Random rnd = new java.util.Random(42);
    var b = dev.gantry.monitor.pprof.proto.ProfileProto.Profile.newBuilder();
    b.addStringTable("").addStringTable("goroutine").addStringTable("count");
    b.addSampleType(
        dev.gantry.monitor.pprof.proto.ProfileProto.ValueType.newBuilder().setType(1).setUnit(2));
    int functions = 4000;
    for (int f = 1; f <= functions; f++) {
      b.addStringTable("example.com/svc/pkg" + (f % 97) + ".(*T" + f % 13 + ").Method" + f);
      b.addStringTable("/src/svc/pkg" + (f % 97) + "/file" + f % 7 + ".go");
      b.addFunction(
          dev.gantry.monitor.pprof.proto.ProfileProto.Function.newBuilder()
              .setId(f).setName(1 + 2L * f).setSystemName(1 + 2L * f).setFilename(2 + 2L * f));
      b.addLocation(
          dev.gantry.monitor.pprof.proto.ProfileProto.Location.newBuilder()
              .setId(f).setAddress(0x400000L + 64L * f)
              .addLine(dev.gantry.monitor.pprof.proto.ProfileProto.Line.newBuilder()
                  .setFunctionId(f).setLine(10 + f % 300)));
    }
    for (int i = 0; i < stacks; i++) {
      var sample = dev.gantry.monitor.pprof.proto.ProfileProto.Sample.newBuilder();
      int depth = 8 + rnd.nextInt(32);
      for (int d = 0; d < depth; d++) {
        sample.addLocationId(1 + rnd.nextInt(functions));
      }
      sample.addValue(1 + rnd.nextInt(50));
      b.addSample(sample);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(out)) {
      b.build().writeTo(gz);
    }
    byte[] raw = out.toByteArray();
    ProfileParser parser = new ProfileParser(256 << 20);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      parser.parse(raw);
    }
    long n = 0;
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 15_000_000_000L) {
      parser.parse(raw);
      n++;
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "parse synthetic profile: %,d bytes gzipped, %,d samples of 8-39 frames over %,d functions,"
            + " %.1f parses/s, %.1f MB/s of gzipped input on one thread%n",
        raw.length, stacks, functions, n / s, n * raw.length / s / 1e6);
    // the same profile not gzipped: protobuf and aggregation alone, the rest of the time is gunzip
    byte[] plain = b.build().toByteArray();
    n = 0;
    t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 5_000_000_000L) {
      parser.parse(plain);
      n++;
    }
    s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "parse synthetic profile not gzipped (%,d bytes): %.2f ms per parse for protobuf and"
            + " aggregation%n",
        plain.length, 1000 * s / n);
    // every stack's text: what the grown stacks of a failing window cost for each of its two
    // samples (a scrape itself keeps the stack table and renders nothing)
    n = 0;
    t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 5_000_000_000L) {
      parser.parse(raw).stackValues(0);
      n++;
    }
    s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "parse synthetic profile and render all %,d stacks' text (a failing window's samples):"
            + " %.1f/s, %.1f MB/s of gzipped input on one thread%n",
        parser.parse(raw).stackCount(), n / s, n * raw.length / s / 1e6);
  }

  // --- 2. scrape capacity -----------------------------------------------------------------------

  static void scrape(Path binary, int seconds) throws Exception {
    try (Proc p = Proc.start(binary, Map.of("SAMPLE_LEAK_PER_REQUEST", "10"))) {
      p.hit(100); // ~1,000 goroutines: a busy service's profile
      TargetScraper scraper = scraper();
      // pprof only: each scrape fetches and parses the goroutine and the heap profile
      Target t = new Target("canary", "bench", p.base(), p.base() + "/debug/pprof", null, null);
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      for (int rate : new int[] {25, 50, 100}) {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(8);
        long start = System.nanoTime();
        long cpuStart = os.getProcessCpuTime();
        long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
          long wait = start + i * 1_000_000_000L / rate - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          workers.submit(
              () -> {
                try {
                  (scraper.scrape(t, 0).missing() ? failed : done).incrementAndGet();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
        }
        workers.shutdown();
        workers.awaitTermination(60, TimeUnit.SECONDS);
        double s = (System.nanoTime() - start) / 1e9;
        double cores = (os.getProcessCpuTime() - cpuStart) / 1e9 / s;
        System.out.printf(
            Locale.ROOT,
            "scrape at %d/s offered: %.1f scrapes/s (= %.1f profile fetch+parse/s), %d failed,"
                + " %.2f cores of the monitor's JVM (HTTP client included); goroutine profile"
                + " %,d bytes%n",
            rate, done.get() / s, 2 * done.get() / s, failed.get(), cores,
            p.get("/debug/pprof/goroutine").length);
      }
    }
  }

  // --- 3. false positives -----------------------------------------------------------------------

  /** One healthy-vs-healthy window as the service would judge it: its verdict and its rounds. */
  record Run(Judgement judgement, int rounds, int pair) {}

  /**
   * {@code runs} independent windows: fresh canary and stable processes per pair (each with its
   * own 20 req/s), {@code perPair} windows one after the other on each pair, never sharing a
   * sample, {@code parallel} pairs at a time. Each window is judged live, round by round, as
   * Analyzer does: FAIL as soon as it comes, PASS at the end of the window, a window short of data
   * extended up to max-window-samples.
   */
  static void falsePositives(
      Path binary, int runs, int perPair, int parallel, Duration interval) throws Exception {
    Thresholds th = defaults();
    int pairs = (runs + perPair - 1) / perPair;
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    List<java.util.concurrent.Future<List<Run>>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int p = 0; p < pairs; p++) {
      int pair = p;
      int windows = Math.min(perPair, runs - p * perPair);
      futures.add(pool.submit(() -> pairRuns(binary, pair, windows, interval, th)));
    }
    List<Run> all = new ArrayList<>();
    for (var f : futures) {
      all.addAll(f.get());
    }
    pool.shutdown();
    double minutes = (System.nanoTime() - start) / 60e9;
    int fail = 0;
    int inconclusive = 0;
    int extended = 0;
    Map<String, Integer> reasons = new java.util.TreeMap<>();
    Map<String, Integer> failedChecks = new java.util.TreeMap<>();
    for (Run r : all) {
      Verdict v = r.judgement().verdict();
      fail += v == Verdict.FAIL ? 1 : 0;
      inconclusive += v == Verdict.INCONCLUSIVE ? 1 : 0;
      extended += r.rounds() > th.windowSamples() ? 1 : 0;
      if (v != Verdict.PASS) {
        reasons.merge(
            v + ": " + r.judgement().reason().replaceAll("[0-9]+([.][0-9]+)?", "N"),
            1,
            Integer::sum);
      }
      if (v == Verdict.FAIL) {
        r.judgement().evidence().stream()
            .filter(e -> e.verdict() == Verdict.FAIL)
            .forEach(e -> failedChecks.merge(e.check(), 1, Integer::sum));
      }
    }
    int n = all.size();
    // Clopper-Pearson: the false FAIL rate these runs cannot rule out, at 95 % one-sided
    double upper =
        fail == n
            ? 1.0
            : new org.apache.commons.math3.distribution.BetaDistribution(fail + 1, n - fail)
                .inverseCumulativeProbability(0.95);
    System.out.printf(
        Locale.ROOT,
        "false positives: %d FAIL and %d INCONCLUSIVE of %d independent healthy-vs-healthy runs"
            + " (%d process pairs, %d windows each, %d ms sampling, %d-sample windows, %d"
            + " extended for data) in %.1f min: FAIL rate %.2f %% (95 %% upper bound %.2f %%)%n",
        fail, inconclusive, n, pairs, perPair, interval.toMillis(), th.windowSamples(), extended,
        minutes, 100.0 * fail / n, 100 * upper);
    failedChecks.forEach((c, k) -> System.out.printf("  FAIL by %s: %d%n", c, k));
    reasons.forEach((r, k) -> System.out.printf("  %3d × %s%n", k, r));
  }

  static List<Run> pairRuns(Path binary, int pair, int windows, Duration interval, Thresholds th)
      throws Exception {
    try (Proc stable = Proc.start(binary, Map.of()); Proc canary = Proc.start(binary, Map.of())) {
      stable.traffic(20);
      canary.traffic(20);
      TargetScraper scraper = scraper();
      Judge judge = new Judge(th);
      List<Run> out = new ArrayList<>();
      int seq = 0;
      long next = System.nanoTime();
      for (int w = 0; w < windows; w++) {
        List<Sample> c = new ArrayList<>();
        List<Sample> s = new ArrayList<>();
        Optional<Judgement> j = Optional.empty();
        int rounds = 0;
        while (j.isEmpty()) {
          rounds++;
          c.add(scraper.scrape(target("canary", canary.base()), seq).withoutRawProfile());
          s.add(scraper.scrape(target("stable", stable.base()), seq).withoutRawProfile());
          seq++;
          j = judge.evaluate(c, s, rounds, false);
          next += interval.toNanos();
          long left = next - System.nanoTime();
          if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
          }
        }
        out.add(new Run(j.get(), rounds, pair));
      }
      return out;
    }
  }

  // --- 4. detection latency ---------------------------------------------------------------------

  static void latency(Path binary, String what, Map<String, String> fault, Duration interval)
      throws Exception {
    try (Proc stable = Proc.start(binary, Map.of()); Proc canary = Proc.start(binary, fault)) {
      stable.traffic(20);
      canary.traffic(20);
      TargetScraper scraper = scraper();
      Judge judge = new Judge(defaults());
      List<Sample> c = new ArrayList<>();
      List<Sample> s = new ArrayList<>();
      long first = System.nanoTime();
      for (int i = 0; i < 40; i++) {
        long t0 = System.nanoTime();
        c.add(scraper.scrape(target("canary", canary.base()), i).withoutRawProfile());
        s.add(scraper.scrape(target("stable", stable.base()), i).withoutRawProfile());
        Optional<Judgement> j = judge.evaluate(c, s, c.size(), false);
        if (j.isPresent()) {
          System.out.printf(
              Locale.ROOT,
              "detection (%s, %d s sampling): %s after %.1f s from the first bad sample,"
                  + " %d samples — %s%n",
              what, interval.toSeconds(), j.get().verdict(), (System.nanoTime() - first) / 1e9,
              c.size(), j.get().reason());
          return;
        }
        long left = interval.toNanos() - (System.nanoTime() - t0);
        if (left > 0) {
          TimeUnit.NANOSECONDS.sleep(left);
        }
      }
      System.out.printf("detection (%s): no verdict within 40 samples%n", what);
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** The service's defaults, read from MonitorConfig's @WithDefault: never a stale copy. */
  static Thresholds defaults() {
    Object judge =
        java.lang.reflect.Proxy.newProxyInstance(
            MonitorBench.class.getClassLoader(),
            new Class<?>[] {dev.gantry.monitor.config.MonitorConfig.Judge.class},
            (proxy, m, args) -> {
              String v = m.getAnnotation(io.smallrye.config.WithDefault.class).value();
              Class<?> t = m.getReturnType();
              // not a ?: chain, which would promote every branch to double
              if (t == int.class) {
                return Integer.valueOf(v);
              }
              if (t == long.class) {
                return Long.valueOf(v);
              }
              return Double.valueOf(v);
            });
    return Thresholds.of((dev.gantry.monitor.config.MonitorConfig.Judge) judge);
  }

  static TargetScraper scraper() {
    return new TargetScraper(
        new Fetcher(Duration.ofSeconds(2)), 8 << 20, 2 << 20,
        List.of("http_requests_total", "sample_requests_total"),
        List.of("http_errors_total", "sample_errors_total"),
        List.of("http_request_duration_seconds"),
        "process_cpu_seconds_total",
        true,
        null);
  }

  static Target target(String track, String base) {
    return new Target(track, "bench", base, base + "/debug/pprof", base + "/metrics", "127.0.0.1");
  }

  static final class Proc implements AutoCloseable {
    final Process process;
    final int port;
    final AtomicBoolean loading = new AtomicBoolean();

    Proc(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Proc start(Path binary, Map<String, String> env) throws Exception {
      int port;
      try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = ss.getLocalPort();
      }
      ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("PORT", Integer.toString(port));
      pb.environment().putAll(env);
      Proc p = new Proc(pb.start(), port);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (true) {
        try {
          p.get("/healthz");
          return p;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(50);
        }
      }
    }

    String base() {
      return "http://127.0.0.1:" + port;
    }

    byte[] get(String path) throws IOException, InterruptedException {
      return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    void hit(int n) throws Exception {
      for (int i = 0; i < n; i++) {
        get("/");
      }
    }

    /** {@code perSecond} requests a second, paced by the clock; a failed request is not the end. */
    void traffic(int perSecond) {
      loading.set(true);
      Thread t = new Thread(() -> {
        long next = System.nanoTime();
        while (loading.get()) {
          try {
            get("/");
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            // counted by nobody: the next request is tried on time
          }
          next += 1_000_000_000L / perSecond;
          long left = next - System.nanoTime();
          if (left > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws Exception {
      loading.set(false);
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}

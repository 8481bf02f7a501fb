import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.Topics;
import dev.gantry.events.analysis.RollbackRequested;
import dev.gantry.events.build.Artifact;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.build.CacheStats;
import dev.gantry.testkit.GoFixture;
import dev.gantry.testkit.GoSample;
import dev.gantry.testkit.NginxFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** See run.sh. Prints each measurement as it is taken, then the medians and ratios. */
public class RolloutBench {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  final Map<String, String> args;
  /** From the environment, not the command line, where ps would show it to every user. */
  final String token = System.getenv("GANTRY_OPERATOR_TOKEN");
  final String app = "bench-" + UUID.randomUUID().toString().substring(0, 8);
  final int proxyPort = freePort();
  final Path sharedRoot;
  final Path binary;
  final KafkaProducer<String, byte[]> producer;

  RolloutBench(Map<String, String> args) {
    this.args = args;
    if (token == null || token.isBlank()) {
      throw new IllegalStateException("GANTRY_OPERATOR_TOKEN is not set (run.sh reads it from var/local.env)");
    }
    this.sharedRoot = Path.of(args.get("shared-root"));
    this.binary = GoSample.build(Path.of(args.get("work")).resolve("sample"), "bench");
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args.get("kafka"));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].substring(2), argv[i + 1]);
    }
    RolloutBench bench = new RolloutBench(args);
    bench.register();
    bench.deploy("v0");
    awaitTrue(
        "v0 promoted and serving through the proxy",
        Duration.ofSeconds(60),
        () -> "stable".equals(bench.track()) && bench.app().path("activeRollout").isNull());
    List<Double> rollbacks = bench.rollbacks(Integer.parseInt(args.get("rollbacks")));
    List<Double> whileStarting =
        bench.rollbacksWhileAnotherCanaryStarts(Integer.parseInt(args.getOrDefault("busy-rollbacks", "10")));
    Map<String, List<double[]>> proxy = bench.proxies(Integer.parseInt(args.get("rounds")), args.get("duration"));
    bench.producer.close();

    System.out.println();
    System.out.println("## results");
    printLatencies("rollback → stable at 100 %", rollbacks);
    printLatencies("rollback of app B while app A's canary is starting", whileStarting);
    Map<String, Double> rps = new HashMap<>();
    Map<String, Double> p50 = new HashMap<>();
    for (var e : proxy.entrySet()) {
      rps.put(e.getKey(), median(e.getValue().stream().map(r -> r[0]).toList()));
      p50.put(e.getKey(), median(e.getValue().stream().map(r -> r[1]).toList()));
      System.out.printf(
          "%-7s median %.0f req/s (c=32), p50 %.3f ms (c=1)%n", e.getKey(), rps.get(e.getKey()), p50.get(e.getKey()));
    }
    System.out.printf(
        "gantry proxy / nginx throughput: %.2f (target ≥ 0.50); gantry / direct: %.2f; nginx / direct: %.2f%n",
        rps.get("gantry") / rps.get("nginx"), rps.get("gantry") / rps.get("direct"), rps.get("nginx") / rps.get("direct"));
    System.out.printf(
        "added p50 at c=1: gantry %+.3f ms (target ≤ 1 ms), nginx %+.3f ms%n",
        p50.get("gantry") - p50.get("direct"), p50.get("nginx") - p50.get("direct"));
  }

  /**
   * p50, p90, p99 and max. The p99 is the nearest-rank one: with fewer than 100 samples it is the
   * largest, so run more (ROLLBACKS=100) for a p99 that is not the max.
   */
  static void printLatencies(String what, List<Double> ms) {
    List<Double> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    System.out.printf(
        "%s: n=%d, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 ≤ 2000 ms)%s%n",
        what,
        sorted.size(),
        pct(sorted, 50),
        pct(sorted, 90),
        pct(sorted, 99),
        sorted.get(sorted.size() - 1),
        sorted.size() < 100 ? "; n < 100: the p99 is the max" : "");
  }

  void register() throws Exception {
    register(app, proxyPort);
  }

  void register(String name, int port) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "name", name,
                "repo", "bench.local/gantry/" + name,
                "branch", "main",
                "listenPort", port,
                "steps", List.of(Map.of("weight", 50, "gate", "manual"), Map.of("weight", 100))));
    HttpResponse<String> r = call("POST", "/apps", body);
    if (r.statusCode() != 201) {
      throw new IllegalStateException("registering " + name + ": " + r.statusCode() + " " + r.body());
    }
  }

  /** Puts the binary at the version's artifact path and announces it as build-worker would. */
  void deploy(String version) throws Exception {
    deploy(app, version, binary);
  }

  void deploy(String name, String version, Path binary) throws Exception {
    String artifact = "artifacts/" + name + "/" + version + "/linux_amd64/" + name;
    Path target = sharedRoot.resolve(artifact);
    Files.createDirectories(target.getParent());
    Files.copy(binary, target, StandardCopyOption.REPLACE_EXISTING);
    Instant now = Instant.now();
    BuildSucceeded build =
        new BuildSucceeded(
            UUID.randomUUID().toString(), "bench.local/gantry/" + name, "main", name,
            "0".repeat(40), version, "bench",
            List.of(new Artifact(artifact, "0".repeat(64), Files.size(target), "linux", "amd64", name)),
            Map.of(), new CacheStats(0, 0, 0L, 0L, 0L, 0L), now, now);
    producer
        .send(EventCodec.toRecord(Topics.BUILD_EVENTS, build.buildId(), CloudEvent.of("bench", build)))
        .get(30, TimeUnit.SECONDS);
  }

  int version = 0;

  List<Double> rollbacks(int n) throws Exception {
    List<Double> ms = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      double elapsed = rollbackOfACanaryAt50("rollback " + i);
      ms.add(elapsed);
      System.out.printf("rollback %d: %.1f ms%n", i, elapsed);
    }
    return ms;
  }

  /**
   * The same rollback of this app's canary, each while another app's canary is still starting: its
   * binary answers its health check only after {@link #SLOW_HEALTH} (under the local router's
   * 30 s health timeout), so rollout-service is waiting for it the whole time. That app's rollout is
   * aborted after each measurement, and its canary never becomes healthy.
   */
  List<Double> rollbacksWhileAnotherCanaryStarts(int n) throws Exception {
    if (n <= 0) {
      return List.of(Double.NaN);
    }
    String slowApp = "bench-slow-" + UUID.randomUUID().toString().substring(0, 8);
    int slowPort = freePort();
    register(slowApp, slowPort);
    deploy(slowApp, "v0", binary);
    awaitTrue(
        slowApp + " v0 promoted",
        Duration.ofSeconds(60),
        () -> app(slowApp).path("current").path("version").asText().equals("v0")
            && app(slowApp).path("activeRollout").isNull());
    Path slowBinary = slowSample(Path.of(args.get("work")).resolve("slow-sample"));
    List<Double> ms = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String slowVersion = "s" + i;
      deploy(slowApp, slowVersion, slowBinary);
      awaitTrue(
          slowApp + " " + slowVersion + " starting",
          Duration.ofSeconds(60),
          () -> app(slowApp).path("activeRollout").path("canaryVersion").asText().equals(slowVersion));
      // its converge is under way: rollout-service now polls the slow canary's health check
      Thread.sleep(500);
      double elapsed = rollbackOfACanaryAt50("rollback " + i + " while " + slowApp + " starts");
      JsonNode slow = app(slowApp).path("activeRollout");
      if (!slowVersion.equals(slow.path("canaryVersion").asText())) {
        throw new IllegalStateException(slowApp + "'s canary is no longer starting; the measurement does not count");
      }
      ms.add(elapsed);
      System.out.printf("rollback %d while another canary starts: %.1f ms%n", i, elapsed);
      HttpResponse<String> abort = call("POST", "/rollouts/" + slow.path("id").asText() + "/abort", null);
      if (abort.statusCode() != 200) {
        throw new IllegalStateException("aborting " + slowApp + ": " + abort.statusCode() + " " + abort.body());
      }
      awaitTrue(slowApp + "'s rollout ended", Duration.ofSeconds(30), () -> app(slowApp).path("activeRollout").isNull());
    }
    return ms;
  }

  /** How long the slow canary's health check fails after it started. */
  static final Duration SLOW_HEALTH = Duration.ofSeconds(20);

  /** A Go service that serves at once but is healthy only {@link #SLOW_HEALTH} after it started. */
  static Path slowSample(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("main.go"),
        """
        package main

        import (
        	"fmt"
        	"net/http"
        	"os"
        	"time"
        )

        func main() {
        	started := time.Now()
        	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "slow") })
        	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
        		if time.Since(started) < %d*time.Millisecond {
        			http.Error(w, "warming up", http.StatusServiceUnavailable)
        			return
        		}
        		fmt.Fprintln(w, "ok")
        	})
        	panic(http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil))
        }
        """
            .formatted(SLOW_HEALTH.toMillis()));
    Files.writeString(dir.resolve("go.mod"), "module example.com/slow-sample\n\ngo 1.21\n");
    Path binary = dir.resolve("slow-sample");
    ProcessBuilder pb =
        new ProcessBuilder(GoFixture.go(), "build", "-trimpath", "-o", binary.toString(), ".")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("GOTOOLCHAIN", "local");
    pb.environment().put("GOPROXY", "off");
    pb.environment().put("GOFLAGS", "-mod=mod");
    pb.environment().put("CGO_ENABLED", "0");
    pb.environment().put("GOCACHE", dir.resolve("gocache").toString());
    Process go = pb.start();
    String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!go.waitFor(300, TimeUnit.SECONDS) || go.exitValue() != 0) {
      throw new IllegalStateException("building the slow sample failed: " + out);
    }
    return binary;
  }

  /**
   * A new canary of this app at 50 %, then a RollbackRequested: the time until the proxy serves only
   * the stable version.
   */
  double rollbackOfACanaryAt50(String what) throws Exception {
    String v = "v" + (++version);
    deploy(v);
    awaitTrue("canary " + v + " at 50 %", Duration.ofSeconds(60), () -> "canary".equals(track()));
    String rolloutId = app().path("activeRollout").path("id").asText();
    // as in production, the verdict comes a while after the step started, not while the
    // service is still announcing it
    Thread.sleep(1_000);
    RollbackRequested rollback =
        new RollbackRequested(rolloutId, app, v, "v0", "bench", List.of(), Instant.now());
    long t0 = System.nanoTime();
    producer.send(EventCodec.toRecord(Topics.ANALYSIS_VERDICTS, app, CloudEvent.of("bench", rollback)));
    // at 50 % the proxy alternates exactly; two stable answers in a row mean the canary is out
    int stableInARow = 0;
    while (stableInARow < 2) {
      stableInARow = "stable".equals(track()) ? stableInARow + 1 : 0;
      if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
        throw new IllegalStateException(what + " not seen within 30 s");
      }
    }
    double elapsed = (System.nanoTime() - t0) / 1e6;
    awaitTrue("rollout " + rolloutId + " ended", Duration.ofSeconds(30), () -> app().path("activeRollout").isNull());
    return elapsed;
  }

  /** wrk against the stable binary directly, through Gantry's proxy, and through nginx. */
  Map<String, List<double[]>> proxies(int rounds, String duration) throws Exception {
    String base = app().path("stableTarget").path("baseUrl").asText();
    int direct = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    int nginxPort = freePort();
    Path prefix = Path.of(args.get("work")).resolve("nginx-" + app);
    Map<String, List<double[]>> results = new java.util.TreeMap<>();
    try (NginxFixture nginx = NginxFixture.start(prefix)) {
      Files.writeString(
          nginx.confDir().resolve("bench.conf"),
          """
          upstream bench { server 127.0.0.1:%d; keepalive 32; }
          server {
            listen 127.0.0.1:%d;
            location / {
              proxy_pass http://bench;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
            }
          }
          """
              .formatted(direct, nginxPort));
      nginx.reload();
      awaitTrue("nginx serving", Duration.ofSeconds(10), () -> status(nginxPort) == 200);
      Map<String, Integer> ports = Map.of("direct", direct, "gantry", proxyPort, "nginx", nginxPort);
      // the JVM's JIT compiles the proxy's path in the first seconds under load: warm every
      // target alike and measure after
      for (String name : List.of("direct", "gantry", "nginx")) {
        wrk(ports.get(name), 2, 32, duration);
      }
      for (int round = 1; round <= rounds; round++) {
        for (String name : List.of("direct", "gantry", "nginx")) {
          int port = ports.get(name);
          double rps = wrk(port, 2, 32, duration)[0];
          double p50 = wrk(port, 1, 1, duration)[1];
          results.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {rps, p50});
          System.out.printf("round %d %-7s %.0f req/s, p50 %.3f ms%n", round, name, rps, p50);
        }
      }
    }
    return results;
  }

  /** {requests per second, p50 in ms}. */
  static double[] wrk(int port, int threads, int connections, String duration) throws Exception {
    Process p =
        new ProcessBuilder(
                "wrk", "-t" + threads, "-c" + connections, "-d" + duration + "s", "--latency",
                "http://127.0.0.1:" + port + "/")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    Matcher p50 = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    if (!rps.find() || !p50.find()) {
      throw new IllegalStateException("cannot read wrk's output:\n" + out);
    }
    double v = Double.parseDouble(p50.group(1));
    double ms = switch (p50.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
    if (out.contains("Non-2xx") || out.contains("Socket errors")) {
      System.out.println("wrk reported errors:\n" + out);
    }
    return new double[] {Double.parseDouble(rps.group(1)), ms};
  }

  /** The X-Gantry-Track of one request through the app's proxy, or null. */
  String track() {
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/")).build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200 ? r.headers().firstValue("X-Gantry-Track").orElse(null) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static int status(int port) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  JsonNode app() {
    return app(app);
  }

  JsonNode app(String name) {
    try {
      return JSON.readTree(call("GET", "/apps/" + name, null).body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(args.get("rollout-url") + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static double pct(List<Double> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  static double median(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}

package dev.gantry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code bench/pipeline/run.sh}: how long a bad release serves before the stable version has all
 * the traffic again, through the whole pipeline that {@code ./gantry up} runs and its public APIs
 * only. One app, one healthy first release, steady traffic; then, {@code runs} times, a release
 * with the chosen fault is pushed, caught at its first step and rolled back.
 *
 * <p>Every time is the one a service reports: the canary's step entered ({@code history} of {@code
 * GET /rollouts/{id}}, the moment the proxy starts sending it traffic), the {@code
 * RollbackRequested}'s {@code issuedAt} ({@code GET /analyses/{id}}, as published on {@code
 * analysis.verdicts}), and the rollout's {@code updatedAt} once {@code ROLLED_BACK} (all traffic to
 * stable). The 5xx that the traffic's own clients saw are timed here, at 50 ms resolution.
 *
 * <p>Arguments: the repository root, then {@code --runs N --kind errors|goroutine-leak --rps R}.
 * Exits 1 if any run did not end rolled back with the stable version answering everything.
 */
public final class BreachBench {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(5);
  private static final int CHECK_REQUESTS = 20;

  /** One bad release, from its push to the stable version serving everything again. */
  record Run(
      int n,
      String version,
      String rolloutId,
      String outcome,
      Instant serving,
      Instant firstBadSample,
      Instant rollbackRequested,
      Instant stable,
      Instant firstClientError,
      Instant lastClientError,
      long clientErrors,
      String reason,
      double load) {

    boolean rolledBack() {
      return outcome.equals("ROLLED_BACK");
    }
  }

  private final Endpoints ep;
  private final Api operator;
  private final Api viewer;
  private final String app;
  private final int port;

  private BreachBench(Endpoints ep, String app, int port) {
    this.ep = ep;
    this.operator = new Api(ep.operatorToken());
    this.viewer = new Api(ep.viewerToken());
    this.app = app;
    this.port = port;
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Map<String, String> opts =
        options(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
    int runs = Integer.parseInt(opts.getOrDefault("runs", "20"));
    String kind = opts.getOrDefault("kind", "errors");
    int rps = Integer.parseInt(opts.getOrDefault("rps", "50"));
    if (!Set.of("errors", "goroutine-leak", "heap-growth", "slow").contains(kind)) {
      throw new IllegalArgumentException("--kind must be a fault of examples/hello: " + kind);
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
    String app = "bench-" + kind + "-" + stamp;
    BreachBench bench =
        new BreachBench(
            Endpoints.fromEnvFile(root.resolve("var/local.env")), app, Demo.freePortFrom(9000));
    // the forge's path becomes its repository key (local/<path>): every service takes keys of up
    // to 32 parts (events' RepoKey), so a deep checkout still leaves room
    Path work = Files.createDirectories(root.resolve("var/bench/" + app));
    List<Run> done = bench.run(root.resolve("examples/hello"), work, runs, kind, rps);
    System.exit(report(done, runs) ? 0 : 1);
  }

  private List<Run> run(Path example, Path work, int runs, String kind, int rps)
      throws InterruptedException {
    String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    SourceRepo repo = SourceRepo.create(example, work.resolve("repo"));
    String repoKey = register(repo, secret);
    say("app %s on 127.0.0.1:%d, repository %s", app, port, repoKey);
    String stableBuild = pushAndBuild(repo, secret, "none", "hello", "bench: a healthy start");
    String stable = viewer.get(ep.buildApi() + "/builds/" + stableBuild).path("version").asText();
    await(
        stable + " serving through the proxy",
        () -> stable.equals(Traffic.askOnce(port)) ? Optional.of(true) : Optional.empty());
    say("%s serves 100 %%; %d requests/s through the proxy from now on", stable, rps);
    List<Run> done = new ArrayList<>();
    Instant trafficFrom = Instant.now();
    try (Traffic traffic = Traffic.start(port, rps);
        AlertInbox pages =
            ep.alertReceiverPort() == 0 ? null : AlertInbox.listen(ep.alertReceiverPort());
        ErrorWatch errors = new ErrorWatch(traffic)) {
      Thread.sleep(3_000); // the stable version has served steady traffic before the first canary
      for (int i = 1; i <= runs; i++) {
        errors.reset();
        String build =
            pushAndBuild(repo, secret, kind, "bad-" + i, "bench: " + kind + " release " + i);
        Run r = follow(i, build, errors);
        Map<String, Integer> answered = traffic.sample(CHECK_REQUESTS);
        if (r.rolledBack() && !answered.equals(Map.of(stable, CHECK_REQUESTS))) {
          r = withOutcome(r, "ROLLED_BACK but " + answered + " answered");
        }
        done.add(r);
        printRun(r);
      }
      Map<Integer, Long> byStatus = traffic.byStatus();
      long answered = byStatus.values().stream().mapToLong(Long::longValue).sum();
      double seconds = Duration.between(trafficFrom, Instant.now()).toMillis() / 1000.0;
      say(
          "traffic: %d answers in %.0f s (%.0f/s, asked %d/s), by status %s",
          answered, seconds, answered / seconds, rps, byStatus);
    }
    return done;
  }

  private String register(SourceRepo repo, String secret) {
    JsonNode registered =
        operator.post(
            ep.buildApi() + "/repos",
            Map.of(
                "cloneUrl",
                repo.cloneUrl(),
                "provider",
                "github",
                "webhookSecret",
                secret,
                "branches",
                List.of("main"),
                "app",
                app),
            201);
    String repoKey = registered.path("repo").asText();
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int weight : new int[] {5, 25, 50, 100}) {
      steps.add(Map.of("weight", weight, "gate", "analysis"));
    }
    operator.post(
        ep.rollout() + "/apps",
        Map.of(
            "name", app,
            "repo", repoKey,
            "branch", "main",
            "router", "local",
            "listenPort", port,
            "steps", steps,
            "stepDeadlineSeconds", STAGE_TIMEOUT.toSeconds()),
        201);
    return repoKey;
  }

  /** Pushes, delivers the signed webhook and waits for the build to succeed: its id. */
  private String pushAndBuild(
      SourceRepo repo, String secret, String fault, String greeting, String message) {
    SourceRepo.Commit commit = repo.commitAndPush(fault, greeting, message);
    GitHubPush.Delivery push = GitHubPush.of(repo.cloneUrl(), app, commit, secret);
    Api.Answer answer =
        operator.postRaw(ep.buildApi() + "/webhooks/github", push.body(), push.headers());
    if (answer.status() != 202) {
      throw new IllegalStateException("webhook answered " + answer.status() + ": " + answer.body());
    }
    String id = answer.body().path("build").path("id").asText();
    await(
        "build " + id + " of " + commit.shortSha(),
        () -> {
          JsonNode b = viewer.get(ep.buildApi() + "/builds/" + id);
          String status = b.path("status").asText();
          if (Set.of("FAILED", "CANCELLED", "SKIPPED").contains(status)) {
            throw new IllegalStateException("build " + id + " " + status + ": " + b.path("error"));
          }
          return status.equals("SUCCEEDED") ? Optional.of(b) : Optional.empty();
        });
    return id;
  }

  /** Waits for the build's rollout to end and reads when each part of it happened. */
  private Run follow(int n, String buildId, ErrorWatch errors) {
    String rolloutId =
        await(
            "a rollout of build " + buildId,
            () -> {
              for (JsonNode r : viewer.get(ep.rollout() + "/rollouts?app=" + app)) {
                if (buildId.equals(r.path("buildId").asText())) {
                  return Optional.of(r.path("id").asText());
                }
              }
              return Optional.empty();
            });
    JsonNode ended =
        await(
            "rollout " + rolloutId + " to end",
            () -> {
              JsonNode r = viewer.get(ep.rollout() + "/rollouts/" + rolloutId);
              String phase = r.path("phase").asText();
              return Set.of("ROLLED_BACK", "PROMOTED", "ABORTED", "PAUSED").contains(phase)
                  ? Optional.of(r)
                  : Optional.empty();
            });
    String phase = ended.path("phase").asText();
    if (phase.equals("PAUSED")) {
      // the next release must not queue behind it
      operator.post(ep.rollout() + "/rollouts/" + rolloutId + "/abort", Map.of(), 200);
    }
    Instant serving = null;
    for (JsonNode h : ended.path("history")) {
      if (h.path("step").asInt(-1) == 0) {
        serving = Instant.parse(h.path("at").asText());
      }
    }
    JsonNode analysis =
        await(
            "the analysis of " + rolloutId,
            () -> Optional.of(viewer.get(ep.monitor() + "/analyses/" + rolloutId)));
    Instant rollback = null;
    String reason = "";
    for (JsonNode v : analysis.path("verdicts")) {
      if (v.path("type").asText().contains("rollback-requested")) {
        rollback = Instant.parse(v.path("issuedAt").asText());
        reason = v.path("reason").asText();
      } else if (reason.isEmpty()) {
        reason = v.path("verdict").asText() + ": " + v.path("reason").asText();
      }
    }
    // the "first bad sample": the first scrape of the canary that counted a 5xx
    Instant firstBad = null;
    for (JsonNode p : analysis.path("steps").path(0).path("canary").path("points")) {
      if (p.path("errors").asDouble(0) > 0) {
        firstBad = Instant.parse(p.path("at").asText());
        break;
      }
    }
    errors.settle();
    return new Run(
        n,
        ended.path("versions").path("canary").asText(),
        rolloutId,
        phase,
        serving,
        firstBad,
        rollback,
        Instant.parse(ended.path("updatedAt").asText()),
        errors.first(),
        errors.last(),
        errors.count(),
        reason,
        loadAverage());
  }

  private static Run withOutcome(Run r, String outcome) {
    return new Run(
        r.n(),
        r.version(),
        r.rolloutId(),
        outcome,
        r.serving(),
        r.firstBadSample(),
        r.rollbackRequested(),
        r.stable(),
        r.firstClientError(),
        r.lastClientError(),
        r.clientErrors(),
        r.reason(),
        r.load());
  }

  // --- what is printed
  // ----------------------------------------------------------------------------

  private static void printRun(Run r) {
    say(
        "run %2d %s %s: serving→rollback %s, rollback→stable %s, total %s; first bad sample→rollback"
            + " %s; clients: %d 5xx over %s; load %.2f; %s",
        r.n(),
        r.version(),
        r.outcome(),
        secs(r.serving(), r.rollbackRequested()),
        secs(r.rollbackRequested(), r.stable()),
        secs(r.serving(), r.stable()),
        secs(r.firstBadSample(), r.rollbackRequested()),
        r.clientErrors(),
        secs(r.firstClientError(), r.lastClientError()),
        r.load(),
        r.reason());
  }

  /** Prints the distributions; true if every run rolled back. */
  private static boolean report(List<Run> runs, int asked) {
    List<Run> ok = runs.stream().filter(Run::rolledBack).toList();
    System.out.printf(
        Locale.ROOT,
        "%nrolled back: %d of %d. Seconds; median of the middle two when n is even; p90 and p99 by"
            + " nearest rank (the ⌈p·n/100⌉-th smallest: with n ≤ 100 p99 is the max)%n",
        ok.size(),
        asked);
    System.out.printf(
        Locale.ROOT,
        "%-50s %3s %7s %7s %7s %7s %7s%n",
        "measure",
        "n",
        "median",
        "p90",
        "p99",
        "min",
        "max");
    Map<String, double[]> measures = new LinkedHashMap<>();
    measures.put(
        "canary serving → RollbackRequested", of(ok, r -> r.serving(), r -> r.rollbackRequested()));
    measures.put(
        "RollbackRequested → stable 100 % (ROLLED_BACK)",
        of(ok, r -> r.rollbackRequested(), r -> r.stable()));
    measures.put(
        "canary serving → stable 100 % (total)", of(ok, r -> r.serving(), r -> r.stable()));
    measures.put(
        "first canary sample with 5xx → RollbackRequested",
        of(ok, r -> r.firstBadSample(), r -> r.rollbackRequested()));
    measures.put(
        "clients: first 5xx → last 5xx",
        of(ok, r -> r.firstClientError(), r -> r.lastClientError()));
    measures.forEach(
        (name, v) -> {
          Arrays.sort(v);
          System.out.printf(
              Locale.ROOT,
              "%-50s %3d %7.2f %7.2f %7.2f %7.2f %7.2f%n",
              name,
              v.length,
              median(v),
              rank(v, 90),
              rank(v, 99),
              v.length == 0 ? Double.NaN : v[0],
              v.length == 0 ? Double.NaN : v[v.length - 1]);
        });
    double[] served = ok.stream().mapToDouble(r -> r.clientErrors()).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "5xx answered to clients per bad release: median %.0f, max %.0f%n",
        median(served),
        served.length == 0 ? Double.NaN : served[served.length - 1]);
    return ok.size() == asked;
  }

  private static double[] of(
      List<Run> runs,
      java.util.function.Function<Run, Instant> from,
      java.util.function.Function<Run, Instant> to) {
    return runs.stream()
        .filter(r -> from.apply(r) != null && to.apply(r) != null)
        .mapToDouble(r -> Duration.between(from.apply(r), to.apply(r)).toMillis() / 1000.0)
        .toArray();
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Nearest rank: the smallest value with at least p % of the values at or below it. */
  static double rank(double[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int k = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, k - 1)];
  }

  private static String secs(Instant from, Instant to) {
    return from == null || to == null
        ? "—"
        : String.format(Locale.ROOT, "%.2f s", Duration.between(from, to).toMillis() / 1000.0);
  }

  private static void say(String format, Object... args) {
    System.out.printf(
        Locale.ROOT,
        "%s  %s%n",
        Instant.now().toString().substring(11, 23),
        format.formatted(args));
  }

  // --- small helpers
  // ------------------------------------------------------------------------------

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, found " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  private static <T> T await(String what, Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(STAGE_TIMEOUT);
    RuntimeException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        Optional<T> found = probe.get();
        if (found.isPresent()) {
          return found.get();
        }
      } catch (Api.UnexpectedStatus e) {
        last = e; // not there yet (a 404), or a service busy for a moment
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
    throw new IllegalStateException(
        "waited "
            + STAGE_TIMEOUT
            + " for "
            + what
            + (last == null ? "" : ": " + last.getMessage()));
  }

  /**
   * When the traffic's clients got a 5xx: polls its counters every 50 ms, so the first and last
   * error of a bad release are known to within that (plus the request's own time).
   */
  private static final class ErrorWatch implements AutoCloseable {
    private final Traffic traffic;
    private final Thread thread;
    private volatile long seen;
    private volatile long base;
    private volatile Instant first;
    private volatile Instant last;

    ErrorWatch(Traffic traffic) {
      this.traffic = traffic;
      this.seen = errors();
      this.thread = new Thread(this::watch, "bench-error-watch");
      thread.setDaemon(true);
      thread.start();
    }

    private long errors() {
      return traffic.byStatus().entrySet().stream()
          .filter(e -> e.getKey() >= 500)
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    private void watch() {
      while (!Thread.currentThread().isInterrupted()) {
        long now = errors();
        if (now > seen) {
          Instant at = Instant.now();
          if (first == null) {
            first = at;
          }
          last = at;
          seen = now;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    synchronized void reset() {
      base = seen;
      first = null;
      last = null;
    }

    /** Lets requests still in flight at the rollback come back before they are counted. */
    void settle() {
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    Instant first() {
      return first;
    }

    Instant last() {
      return last;
    }

    long count() {
      return seen - base;
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }
}

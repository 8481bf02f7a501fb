import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's targets (issue 15), measured in a real headless Chromium against the running local
 * stack while `./gantry demo` runs: live update latency on a running rollout's page, first render of
 * the promoted rollout's page, and the memory of the console and of the whole stack. Started by
 * bench/console/run.sh, which passes the operator token in the environment, never on the command
 * line.
 */
public final class ConsoleBench {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String CHART = "[data-testid=chart-goroutines]";

  final String console;
  final String rollout;
  final String monitor;
  final String token = System.getenv("GANTRY_OPERATOR_TOKEN");

  ConsoleBench(Map<String, String> a) {
    console = a.get("console");
    rollout = a.get("rollout");
    monitor = a.get("monitor");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    ConsoleBench b = new ConsoleBench(a);
    long demoPid = Long.parseLong(a.get("demo-pid"));
    Path work = Path.of(a.get("work"));
    ChromeDriver driver = browser(work);
    try {
      b.login(driver);
      b.live(driver, demoPid);
      b.render(driver, Integer.parseInt(a.getOrDefault("renders", "40")));
      b.memory(Path.of(a.get("pids")));
    } finally {
      driver.quit();
    }
  }

  static ChromeDriver browser(Path work) throws IOException {
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    Path profile = Files.createTempDirectory(work, "chromium-");
    o.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, o);
  }

  void login(ChromeDriver driver) throws Exception {
    JsonNode link = post(console + "/api/login-links");
    driver.get(link.get("url").asText());
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> !d.findElements(By.cssSelector("[data-testid=whoami]")).isEmpty());
    System.out.println("logged in through a one-time login link");
  }

  /** Leaves the running rollout's page open and times each sample's arrival on the chart. */
  void live(ChromeDriver driver, long demoPid) throws Exception {
    List<Double> canaryLatencies = new ArrayList<>();
    List<Double> stableLatencies = new ArrayList<>();
    int rollouts = 0;
    while (ProcessHandle.of(demoPid).map(ProcessHandle::isAlive).orElse(false)) {
      String id = runningRollout();
      if (id == null) {
        Thread.sleep(500);
        continue;
      }
      rollouts++;
      driver.get(console + "/rollouts/" + id);
      new WebDriverWait(driver, Duration.ofSeconds(20))
          .until(d -> !d.findElements(By.cssSelector(CHART)).isEmpty());
      long openedAt = System.currentTimeMillis();
      ((JavascriptExecutor) driver)
          .executeScript(
              // the page redraws a chart by replacing it: watch the whole page, read the current one
              "window.__seen = []; const note = () => { const el = document.querySelector(arguments[0]);"
                  + " if (!el) return; const c = +el.getAttribute('data-canary-points'),"
                  + " s = +el.getAttribute('data-stable-points'), last = window.__seen[window.__seen.length - 1];"
                  + " if (!last || last[1] !== c || last[2] !== s) window.__seen.push([Date.now(), c, s]); };"
                  + "note(); new MutationObserver(note).observe(document.body, {subtree: true,"
                  + " childList: true, attributes: true,"
                  + " attributeFilter: ['data-canary-points', 'data-stable-points']});",
              CHART);
      while (!terminal(id)) {
        Thread.sleep(1000);
      }
      Thread.sleep(2000); // the last sample's notice
      @SuppressWarnings("unchecked")
      List<List<Number>> seen =
          (List<List<Number>>) ((JavascriptExecutor) driver).executeScript("return window.__seen");
      JsonNode analysis = get(monitor + "/analyses/" + id);
      canaryLatencies.addAll(latencies(analysis, "canary", seen, 1, openedAt));
      stableLatencies.addAll(latencies(analysis, "stable", seen, 2, openedAt));
    }
    List<Double> all = new ArrayList<>(canaryLatencies);
    all.addAll(stableLatencies);
    System.out.printf(
        Locale.ROOT,
        "live update: %d rollouts watched, %d samples arrived while the page was open;"
            + " sample time -> on the chart: median %.0f ms, p95 %.0f ms, max %.0f ms%n",
        rollouts, all.size(), pct(all, 50), pct(all, 95), pct(all, 100));
  }

  /**
   * For each sample stored after the page opened: when the chart first drew as many points of its
   * track, minus the sample's own time (the scrape's start, so the figure includes the scrape, the
   * store and the notice).
   */
  static List<Double> latencies(
      JsonNode analysis, String track, List<List<Number>> seen, int column, long openedAt) {
    List<Instant> all = new ArrayList<>();
    List<Instant> drawn = new ArrayList<>();
    for (JsonNode step : analysis.path("steps")) {
      for (JsonNode p : step.path(track).path("points")) {
        Instant at = Instant.parse(p.get("at").asText());
        all.add(at);
        if (!p.path("goroutines").isNull() && !p.path("goroutines").isMissingNode()) {
          drawn.add(at);
        }
      }
    }
    all.sort(Comparator.naturalOrder());
    drawn.sort(Comparator.naturalOrder());
    int last = seen.isEmpty() ? 0 : seen.get(seen.size() - 1).get(column).intValue();
    List<Instant> points = last == all.size() ? all : drawn;
    List<Double> out = new ArrayList<>();
    for (int k = 1; k <= points.size(); k++) {
      Instant at = points.get(k - 1);
      if (at.toEpochMilli() <= openedAt) {
        continue;
      }
      for (List<Number> s : seen) {
        if (s.get(column).intValue() >= k) {
          out.add((double) (s.get(0).longValue() - at.toEpochMilli()));
          break;
        }
      }
    }
    return out;
  }

  /** Opens the promoted rollout with the most samples again and again: navigation → charts drawn. */
  void render(ChromeDriver driver, int renders) throws Exception {
    String best = null;
    int bestCanary = -1;
    int bestStable = 0;
    for (JsonNode r : get(rollout + "/rollouts?phase=PROMOTED&limit=20")) {
      JsonNode analysis = get(monitor + "/analyses/" + r.get("id").asText());
      int c = 0;
      int s = 0;
      for (JsonNode step : analysis.path("steps")) {
        c += step.path("canary").path("points").size();
        s += step.path("stable").path("points").size();
      }
      if (c > bestCanary) {
        best = r.get("id").asText();
        bestCanary = c;
        bestStable = s;
      }
    }
    if (best == null) {
      throw new IllegalStateException("no promoted rollout to render");
    }
    String page = console + "/rollouts/" + best;
    driver.get(page);
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> Integer.parseInt(
                    String.valueOf(d.findElement(By.cssSelector(CHART)).getAttribute("data-canary-points"))) > 0);
    int drawn =
        Integer.parseInt(driver.findElement(By.cssSelector(CHART)).getAttribute("data-canary-points"));
    String wait =
        "const done = arguments[arguments.length - 1], want = arguments[1];"
            + "const check = () => { const el = document.querySelector(arguments[0]);"
            + " if (el && +el.getAttribute('data-canary-points') >= want"
            + "     && document.querySelector('[data-testid=timeline-entry]')) done(performance.now());"
            + " else requestAnimationFrame(check); }; check();";
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < renders + 3; i++) {
      driver.get(page);
      Number t = (Number) ((JavascriptExecutor) driver).executeAsyncScript(wait, CHART, drawn);
      if (i >= 3) {
        times.add(t.doubleValue());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "first render: rollout %s, %d canary and %d stable samples (%d drawn per chart), %d loads after"
            + " 3 warm-ups: navigation start -> charts and timeline drawn: median %.0f ms, p95 %.0f ms,"
            + " max %.0f ms%n",
        best, bestCanary, bestStable, drawn, times.size(), pct(times, 50), pct(times, 95),
        pct(times, 100));
  }

  /** RSS of every process the stack started, with their children, from /proc. */
  void memory(Path pidsFile) throws IOException {
    Map<Long, Long> parent = new HashMap<>();
    Map<Long, Long> rssKb = new HashMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          long ppid = -1;
          long rss = 0;
          for (String line : Files.readAllLines(p.resolve("status"))) {
            if (line.startsWith("PPid:")) {
              ppid = Long.parseLong(line.substring(5).trim());
            } else if (line.startsWith("VmRSS:")) {
              rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
          }
          parent.put(Long.parseLong(name), ppid);
          rssKb.put(Long.parseLong(name), rss);
        } catch (IOException | RuntimeException gone) {
          // the process ended while we read it
        }
      }
    }
    Map<String, Long> byComponent = new LinkedHashMap<>();
    long total = 0;
    for (String line : Files.readAllLines(pidsFile)) {
      String[] f = line.trim().split(" ");
      if (f.length != 2) {
        continue;
      }
      long root = Long.parseLong(f[1]);
      long kb = 0;
      for (Map.Entry<Long, Long> e : rssKb.entrySet()) {
        if (descends(e.getKey(), root, parent)) {
          kb += e.getValue();
        }
      }
      byComponent.put(f[0], kb);
      total += kb;
    }
    StringBuilder parts = new StringBuilder();
    byComponent.forEach(
        (k, v) -> parts.append(String.format(Locale.ROOT, " %s %d MB;", k, v / 1024)));
    System.out.printf(
        Locale.ROOT,
        "memory (RSS, with children): console %d MB; whole stack %d MB (%.2f GB):%s%n",
        byComponent.getOrDefault("console", 0L) / 1024, total / 1024, total / 1048576.0, parts);
  }

  static boolean descends(long pid, long root, Map<Long, Long> parent) {
    for (int hops = 0; pid > 1 && hops < 64; hops++) {
      if (pid == root) {
        return true;
      }
      pid = parent.getOrDefault(pid, -1L);
    }
    return false;
  }

  String runningRollout() throws Exception {
    for (JsonNode r : get(rollout + "/rollouts?limit=5")) {
      String phase = r.path("phase").asText();
      if (phase.equals("PROGRESSING") || phase.equals("PENDING")) {
        return r.get("id").asText();
      }
    }
    return null;
  }

  boolean terminal(String id) throws Exception {
    String phase = get(rollout + "/rollouts/" + id).path("phase").asText();
    return phase.equals("PROMOTED") || phase.equals("ABORTED") || phase.equals("ROLLED_BACK")
        || phase.equals("PAUSED");
  }

  JsonNode get(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  JsonNode post(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  JsonNode send(HttpRequest.Builder b) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            b.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(15)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(r.request().uri() + " answered " + r.statusCode());
    }
    return JSON.readTree(r.body());
  }

  static double pct(List<Double> xs, int p) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(xs);
    s.sort(Comparator.naturalOrder());
    int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, Math.min(s.size() - 1, i)));
  }
}

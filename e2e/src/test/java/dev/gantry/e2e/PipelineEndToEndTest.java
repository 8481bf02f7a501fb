package dev.gantry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.edge.ConsoleLinks;
import dev.gantry.events.Topics;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildStarted;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.testkit.EventRecord;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.KafkaEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;

/**
 * The demo's scenario, automated: the four packaged services and the console on a real Kafka broker
 * and PostgreSQL, the sample Go service built by the real toolchain from a real git repository, and
 * assertions on what every service shows afterwards, on the events, on the page that arrived, and
 * on what people see in the console in a real headless Chromium: the operator who logged in with
 * the demo's link watches the leaking canary rolled back live, then aborts one more healthy canary
 * from its page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndTest {
  private PipelineStack stack;
  private Scenario.Report report;
  private String printed;
  private final Faults faults = new Faults();
  private Api viewer;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private Scenario.Settings settings;
  private Scenario.Started another;

  /**
   * The operator's browser: logged in with the link the scenario printed, before the bad canary.
   */
  private ConsoleBrowser operatorConsole;

  private volatile String phaseWhenOpened = "";
  private RollbackSeen rollbackSeen;
  private AbortSeen abortSeen;

  /** What the operator's page of the leaking canary showed once it was rolled back. */
  record RollbackSeen(
      String whoami, String phase, int canaryPoints, int stablePoints, List<StackSeen> stacks) {}

  record StackSeen(int canary, int stable, String frames) {}

  /** What the operator's page of the extra healthy canary answered to abort. */
  record AbortSeen(String result, String phase) {}

  @BeforeAll
  void runTheScenario() throws Exception {
    Path repoRoot = Path.of(System.getProperty("gantry.repo.root", "..")).toAbsolutePath();
    Path dir = Files.createTempDirectory("gantry-e2e-");
    stack = new PipelineStack(repoRoot, dir);
    stack.start();
    viewer = new Api(PipelineStack.VIEWER_TOKEN);
    operatorConsole = ConsoleBrowser.open(stack.console.url());
    PrintStream tee = new PrintStream(new Tee(out, System.out), true, StandardCharsets.UTF_8);
    settings =
        new Scenario.Settings(
            repoRoot.resolve("examples/hello"),
            dir,
            "hello-e2e",
            PipelineStack.freePort(),
            // at 5 % the canary gets 10 a second: twice the 5xx test's 50 requests in a 12 s step
            200,
            Duration.ofMinutes(2),
            Duration.ofMinutes(4),
            faults);
    Scenario scenario = new Scenario(stack.endpoints(), settings, tee);
    try {
      report = scenario.run();
    } finally {
      faults.awaitDatabaseBack();
    }
    // the page was left open since the canary started: what it shows now came live
    rollbackSeen = watchTheRollback();
    another = scenario.startAnotherHealthyRollout();
    abortSeen = abortFromTheConsole(another.rolloutId());
    printed = out.toString(StandardCharsets.UTF_8);
  }

  private RollbackSeen watchTheRollback() {
    ConsoleBrowser b = operatorConsole;
    String phase = b.textOnceShown("rollout-phase", "ROLLED_BACK"::equals);
    try {
      b.until(
          "both tracks on the goroutine chart",
          d ->
              b.testId("chart-goroutines")
                  .map(
                      c ->
                          ConsoleBrowser.intAttribute(c, "data-canary-points") > 0
                              && ConsoleBrowser.intAttribute(c, "data-stable-points") > 0)
                  .orElse(false));
      b.until("the grown stacks", d -> !b.all("stack").isEmpty());
    } catch (TimeoutException e) {
      // the assertions report what was shown
    }
    WebElement chart = b.shown("chart-goroutines");
    List<StackSeen> stacks =
        b.all("stack").stream()
            .map(
                e ->
                    new StackSeen(
                        ConsoleBrowser.intAttribute(e, "data-canary"),
                        ConsoleBrowser.intAttribute(e, "data-stable"),
                        e.findElements(By.cssSelector("[data-testid='stack-frames']")).stream()
                            .map(WebElement::getText)
                            .findFirst()
                            .orElse("")))
            .toList();
    b.screenshot("rollout");
    return new RollbackSeen(
        b.textOnceShown("whoami", t -> t.contains("operator")),
        phase,
        ConsoleBrowser.intAttribute(chart, "data-canary-points"),
        ConsoleBrowser.intAttribute(chart, "data-stable-points"),
        stacks);
  }

  private AbortSeen abortFromTheConsole(String rolloutId) {
    ConsoleBrowser b = operatorConsole;
    b.go(ConsoleLinks.rollout(stack.console.url(), rolloutId));
    b.shown("action-abort").click();
    b.shown("confirm-yes").click();
    String result = b.textOnceShown("action-result", t -> t.contains("ABORTED"));
    String phase = b.textOnceShown("rollout-phase", "ABORTED"::equals);
    b.screenshot("rollout-aborted");
    return new AbortSeen(result, phase);
  }

  /**
   * The faults this run survives, one at each of four moments, each while the pipeline is busy: the
   * assertions on builds, events and steps then show that nothing was lost, duplicated, repeated or
   * skipped.
   */
  private final class Faults implements Scenario.Faults {
    /** What ran under the worker when it was killed: the build's git and go processes. */
    volatile List<String> killedWithWorker = List.of();

    volatile long rolloutPidBefore = -1;
    volatile boolean kafkaRestarted;
    private CompletableFuture<Void> databaseRestart = CompletableFuture.completedFuture(null);

    /**
     * build-worker SIGKILLed with its processes while it compiles the first build, then started.
     */
    @Override
    public String firstBuildRunning(String buildId) {
      killedWithWorker = stack.buildWorker.killWithItsProcesses();
      stack.buildWorker.start(Duration.ofMinutes(6));
      return "build-worker SIGKILLed mid-build with " + killedWithWorker + ", and started again";
    }

    /**
     * PostgreSQL stopped as the healthy release's webhook arrives, and started again once build-api
     * has refused a webhook for it: the forge delivers it again until it is accepted.
     */
    @Override
    public String beforeHealthyWebhook() {
      CountDownLatch down = new CountDownLatch(1);
      databaseRestart =
          CompletableFuture.runAsync(
              () ->
                  GantryInfra.withPostgresStopped(
                      () -> {
                        down.countDown();
                        await("build-api refuses a webhook while the database is away")
                            .atMost(Duration.ofMinutes(1))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> refusedWebhooks() > 0);
                      }));
      try {
        if (!down.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("PostgreSQL did not stop");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "PostgreSQL stopped as the webhook arrives, until build-api has refused it";
    }

    /**
     * rollout-service SIGKILLed at 25 %, while traffic flows and the monitor judges the step, and
     * started again; the Kafka broker stopped and started again as the release enters 50 %.
     */
    @Override
    public String healthyStep(int step) {
      awaitDatabaseBack();
      if (step == 1) {
        rolloutPidBefore = stack.rollout.pid();
        stack.rollout.kill();
        stack.rollout.start();
        return "rollout-service SIGKILLed and started again";
      }
      if (step == 2) {
        GantryInfra.withKafkaStopped(
            () ->
                await("build-api reports the broker away")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> !stack.buildApi.answersReady()));
        kafkaRestarted = true;
        return "the Kafka broker stopped until build-api reported it away, and started again";
      }
      return "";
    }

    /**
     * The operator opens the demo's one-step login link, as printed, and then the leaking canary's
     * page, before its first step is judged; the page stays open until the rollback.
     */
    @Override
    public String badRolloutStarted(String rolloutId) {
      java.util.regex.Matcher link =
          java.util.regex.Pattern.compile("(http://\\S+/login#code=\\S+)")
              .matcher(out.toString(StandardCharsets.UTF_8));
      if (!link.find()) {
        throw new IllegalStateException("the scenario printed no login link");
      }
      ConsoleBrowser b = operatorConsole;
      b.go(link.group(1));
      b.until(
          "the operator's session from the login link",
          d -> b.testId("whoami").map(w -> w.getText().contains("operator")).orElse(false));
      b.go(ConsoleLinks.rollout(stack.console.url(), rolloutId));
      phaseWhenOpened = b.textOnceShown("rollout-phase", t -> !t.isBlank() && !t.equals("…"));
      return "";
    }

    void awaitDatabaseBack() {
      databaseRestart.join();
    }

    /** Webhooks build-api answered with a server error: those it could not store. */
    private double refusedWebhooks() {
      return stack
          .buildApi
          .metrics()
          .lines()
          .filter(l -> l.startsWith("gantry_webhooks_total{") && l.contains("outcome=\"error\""))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    }
  }

  @AfterAll
  void stop() {
    if (operatorConsole != null) {
      operatorConsole.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldBuildEveryPushExactlyOnce() {
    JsonNode builds =
        viewer.get(stack.buildApi.url() + "/builds?repo=" + report.repoKey() + "&limit=10");
    assertThat(builds.path("items"))
        .extracting(b -> b.path("status").asText())
        .containsExactly("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED");
    assertThat(builds.path("items"))
        .extracting(b -> b.path("version").asText())
        .containsExactly(
            another.release().version(),
            report.bad().version(),
            report.healthy().version(),
            report.first().version());
    List<EventRecord> requested =
        KafkaEvents.readAll(stack.kafka(), Topics.BUILD_REQUESTS).stream()
            .filter(
                r ->
                    r.event().data() instanceof BuildRequested b
                        && b.repo().equals(report.repoKey()))
            .toList();
    assertThat(requested).hasSize(4);
  }

  @Test
  void shouldFinishTheBuildWhoseWorkerWasKilledMidBuildExactlyOnce() {
    assertThat(faults.killedWithWorker)
        .as("the worker was compiling when it was killed")
        .isNotEmpty();
    String id = report.first().buildId();
    List<EventRecord> events =
        KafkaEvents.readAll(stack.kafka(), Topics.BUILD_EVENTS).stream()
            .filter(r -> id.equals(r.event().subject()))
            .toList();
    assertThat(events)
        .filteredOn(r -> r.event().data() instanceof BuildSucceeded)
        .as("one BuildSucceeded for the build the killed worker had started")
        .hasSize(1);
    assertThat(events)
        .filteredOn(r -> r.event().data() instanceof BuildStarted)
        .as("started by the killed worker, then again by the restarted one")
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(viewer.get(stack.buildApi.url() + "/builds/" + id).path("status").asText())
        .isEqualTo("SUCCEEDED");
  }

  @Test
  void shouldQueueTheWebhookRefusedWhilePostgresRestartedOnceItWasDeliveredAgain() {
    List<Integer> answers = report.healthy().webhookAnswers();
    assertThat(answers)
        .as("refused while the database was away, then accepted")
        .hasSizeGreaterThan(1);
    assertThat(answers.subList(0, answers.size() - 1)).allMatch(s -> s == 503);
    assertThat(answers.get(answers.size() - 1)).isEqualTo(202);
    assertThat(printed).contains("webhook refused (503");
  }

  @Test
  void
      shouldWalkTheHealthyReleaseThroughEveryStepOnPassVerdictsThoughRolloutServiceWasKilledAtOne() {
    assertThat(faults.rolloutPidBefore)
        .as("rollout-service was killed and started again at 25 %")
        .isPositive()
        .isNotEqualTo(stack.rollout.pid());
    assertThat(faults.kafkaRestarted).as("the broker was restarted at 50 %").isTrue();
    assertThat(stepsOf(report.healthyRolloutId()))
        .extracting(RolloutStepStarted::weight)
        .containsExactly(5, 25, 50, 100);
    JsonNode rollout = viewer.get(stack.rollout.url() + "/rollouts/" + report.healthyRolloutId());
    assertThat(rollout.path("phase").asText()).isEqualTo("PROMOTED");
    assertThat(rollout.path("commit").asText()).isEqualTo(report.healthy().commit());
    assertThat(rollout.path("history"))
        .filteredOn(h -> h.hasNonNull("weight"))
        .as("rollout-service's history: each step entered once")
        .extracting(h -> h.path("weight").asInt())
        .containsExactly(5, 25, 50, 100);
    JsonNode analysis = viewer.get(stack.monitor.url() + "/analyses/" + report.healthyRolloutId());
    assertThat(analysis.path("verdicts"))
        .extracting(v -> v.path("step").asInt() + ":" + v.path("verdict").asText())
        .containsExactly("0:PASS", "1:PASS", "2:PASS", "3:PASS");
  }

  @Test
  void shouldRollTheLeakingCanaryBackAtItsFirstStepAndKeepTheHealthyVersionServing() {
    assertThat(stepsOf(report.badRolloutId()))
        .extracting(RolloutStepStarted::weight)
        .containsExactly(5);
    JsonNode rollout = viewer.get(stack.rollout.url() + "/rollouts/" + report.badRolloutId());
    assertThat(rollout.path("phase").asText()).isEqualTo("ROLLED_BACK");
    assertThat(rollout.path("canaryWeight").asInt()).isZero();
    RolloutRolledBack rolledBack =
        KafkaEvents.readAll(stack.kafka(), Topics.ROLLOUT_EVENTS).stream()
            .map(r -> r.event().data())
            .filter(
                d ->
                    d instanceof RolloutRolledBack rb
                        && rb.rolloutId().equals(report.badRolloutId()))
            .map(RolloutRolledBack.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(rolledBack.reason()).isEqualTo("AnalysisFailed");
    assertThat(rolledBack.canary().commit()).isEqualTo(report.bad().commit());

    JsonNode app = viewer.get(stack.rollout.url() + "/apps/hello-e2e");
    assertThat(app.path("current").path("version").asText()).isEqualTo(report.healthy().version());
    assertThat(app.path("activeRollout").isNull()).isTrue();
    assertThat(report.afterRollback()).isEqualTo(Map.of(report.healthy().version(), 50));
    assertThat(stack.sharedRoot.resolve("artifacts/hello-e2e/current"))
        .satisfies(
            link ->
                assertThat(Files.readSymbolicLink(link).toString())
                    .isEqualTo(report.healthy().version()));
  }

  @Test
  void shouldAnswerIsMyCommitLiveFromTheBuildAlone() {
    await("build-api has followed both rollouts")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode bad = build(report.bad().buildId()).path("deployment");
              assertThat(bad.path("phase").asText()).isEqualTo("ROLLED_BACK");
              assertThat(bad.path("live").asBoolean()).isFalse();
              assertThat(bad.path("weight").asInt()).isZero();
              assertThat(bad.path("verdict").path("verdict").asText()).isEqualTo("FAIL");
              assertThat(bad.path("rolloutId").asText()).isEqualTo(report.badRolloutId());

              JsonNode healthy = build(report.healthy().buildId()).path("deployment");
              assertThat(healthy.path("phase").asText()).isEqualTo("PROMOTED");
              assertThat(healthy.path("live").asBoolean()).isTrue();
              assertThat(healthy.path("weight").asInt()).isEqualTo(100);
              assertThat(healthy.path("verdict").path("verdict").asText()).isEqualTo("PASS");

              JsonNode first = build(report.first().buildId()).path("deployment");
              assertThat(first.path("live").asBoolean()).isFalse();
              assertThat(first.path("supersededBy").path("version").asText())
                  .isEqualTo(report.healthy().version());
            });
  }

  @Test
  void shouldNameTheLeakingStackInTheVerdictAndThePage() {
    assertThat(report.grownStacks()).anyMatch(s -> s.contains(Scenario.LEAK_FRAME));
    JsonNode alert = report.alert();
    assertThat(alert.path("version").asText()).isEqualTo("4");
    assertThat(alert.path("commonLabels").path("app").asText()).isEqualTo("hello-e2e");
    assertThat(alert.path("commonLabels").path("version").asText())
        .isEqualTo(report.bad().version());
    assertThat(alert.path("commonAnnotations").path("evidence").asText())
        .startsWith(ConsoleLinks.rollout(stack.console.url(), report.badRolloutId()));
    assertThat(printed).contains("stack that grew: ").contains(Scenario.LEAK_FRAME);
  }

  @Test
  void shouldResolveThePageOnceTheRollbackIsDone() {
    await("the incident resolved at the monitor")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode alerts = viewer.get(stack.monitor.url() + "/alerts?app=hello-e2e");
              assertThat(alerts.findValuesAsText("state")).contains("RESOLVED");
            });
  }

  @Test
  void shouldPrintATimelineWithTheMeasuredStages() {
    assertThat(report.timings())
        .containsKeys(
            "webhook → build started (cold)",
            "build time (cold)",
            "build time (warm)",
            "webhook → healthy release at 100 %",
            "canary serving → FAIL verdict (goroutine leak)",
            "FAIL verdict → stable at 100 %");
    assertThat(printed)
        .contains("== Timings")
        .contains("GET " + stack.monitor.url() + "/analyses/");
  }

  @Test
  void shouldShowTheLeakingCanaryRolledBackLiveWithBothTracksChartedAndTheGrownStack() {
    assertThat(phaseWhenOpened)
        .as("the page was open while the canary ran")
        .isNotBlank()
        .isNotEqualTo("ROLLED_BACK");
    assertThat(rollbackSeen.whoami()).contains("operator");
    assertThat(rollbackSeen.phase()).as("without a reload").isEqualTo("ROLLED_BACK");
    assertThat(rollbackSeen.canaryPoints()).as("canary points on chart-goroutines").isPositive();
    assertThat(rollbackSeen.stablePoints()).as("stable points on chart-goroutines").isPositive();
    assertThat(rollbackSeen.stacks())
        .as("a stack that grew on the canary, one frame a line")
        .anySatisfy(
            st -> {
              assertThat(st.canary()).isGreaterThan(st.stable());
              assertThat(st.frames()).contains(Scenario.LEAK_FRAME);
            });
  }

  @Test
  void shouldAbortAHealthyCanaryFromTheConsoleAndServeStableAtFull() {
    assertThat(abortSeen.result()).contains("ABORTED");
    assertThat(abortSeen.phase()).isEqualTo("ABORTED");
    JsonNode rollout = viewer.get(stack.rollout.url() + "/rollouts/" + another.rolloutId());
    assertThat(rollout.path("phase").asText()).isEqualTo("ABORTED");
    assertThat(rollout.path("stableWeight").asInt()).isEqualTo(100);
    assertThat(rollout.path("canaryWeight").asInt()).isZero();
    assertThat(Traffic.askOnce(settings.proxyPort()))
        .as("the stable release answers")
        .isEqualTo(report.healthy().version());
  }

  @Test
  void shouldShowAViewerNoActionAndRefuseTheirForgedRequest() {
    try (ConsoleBrowser b = ConsoleBrowser.open(stack.console.url())) {
      b.go(stack.console.url() + "/login");
      b.shown("login-token");
      b.screenshot("login");
      b.loginWithToken(PipelineStack.VIEWER_TOKEN);
      assertThat(b.textOnceShown("whoami", t -> t.contains("viewer"))).contains("viewer");
      b.shown("app-row");
      b.screenshot("apps");

      b.go(ConsoleLinks.rollout(stack.console.url(), report.badRolloutId()));
      assertThat(b.textOnceShown("rollout-phase", "ROLLED_BACK"::equals)).isEqualTo("ROLLED_BACK");
      for (String action :
          List.of(
              "action-promote",
              "action-pause",
              "action-resume",
              "action-abort",
              "action-rollback")) {
        assertThat(b.all(action)).as(action).isEmpty();
      }
      // with the session's own CSRF token and origin: refused for the role alone
      assertThat(b.fetchStatus("POST", "/api/apps/hello-e2e/rollback", true)).isEqualTo(403);
      assertThat(b.fetchStatus("POST", "/api/rollouts/" + another.rolloutId() + "/promote", true))
          .isEqualTo(403);
    }
    assertThat(
            viewer
                .get(stack.rollout.url() + "/apps/hello-e2e")
                .path("current")
                .path("version")
                .asText())
        .as("nothing changed")
        .isEqualTo(report.healthy().version());
  }

  @Test
  void shouldLandOnTheRolloutAfterLoginFromThePagesEvidenceLink() {
    String evidence = report.alert().path("commonAnnotations").path("evidence").asText();
    try (ConsoleBrowser b = ConsoleBrowser.open(stack.console.url())) {
      b.go(evidence);
      b.shown("login-token");
      assertThat(b.currentUrl()).startsWith(stack.console.url() + "/login?next=");
      b.loginWithToken(PipelineStack.OPERATOR_TOKEN);

      assertThat(b.currentUrl()).isEqualTo(evidence);
      assertThat(b.textOnceShown("rollout-phase", "ROLLED_BACK"::equals)).isEqualTo("ROLLED_BACK");
    }
  }

  @Test
  void shouldShowTheBuildWithItsArtifactAndTheAlertsWithTheIncident() {
    JsonNode built = build(report.bad().buildId());
    try (ConsoleBrowser b = ConsoleBrowser.open(stack.console.url())) {
      b.go(ConsoleLinks.build(stack.console.url(), report.bad().buildId()));
      b.loginWithToken(PipelineStack.OPERATOR_TOKEN);
      assertThat(b.textOnceShown("build-status", "SUCCEEDED"::equals)).isEqualTo("SUCCEEDED");
      String sha256 = built.path("artifacts").path(0).path("sha256").asText();
      assertThat(b.textOnceShown("artifact", t -> t.contains(sha256))).contains(sha256);
      b.screenshot("build");

      b.go(stack.console.url() + "/alerts");
      b.shown("incident");
      assertThat(b.attributes("incident", "data-severity")).isNotEmpty().doesNotContainNull();
      b.screenshot("alerts");
    }
  }

  private JsonNode build(String id) {
    return viewer.get(stack.buildApi.url() + "/builds/" + id);
  }

  /**
   * The steps a rollout entered, one per event id: an event that the killed rollout-service had
   * sent but not yet marked as sent is sent again by its successor under the same id (at least
   * once, and a consumer drops the copy); a step entered twice would be a second id.
   */
  private List<RolloutStepStarted> stepsOf(String rolloutId) {
    Set<String> seen = new HashSet<>();
    return KafkaEvents.readAll(stack.kafka(), Topics.ROLLOUT_EVENTS).stream()
        .filter(
            r ->
                r.event().data() instanceof RolloutStepStarted s && s.rolloutId().equals(rolloutId))
        .filter(r -> seen.add(r.event().id()))
        .map(r -> (RolloutStepStarted) r.event().data())
        .toList();
  }

  /** Prints the scenario as it runs, for the CI log, and keeps it for the assertions. */
  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    Tee(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}

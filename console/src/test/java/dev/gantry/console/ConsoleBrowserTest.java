package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.console.support.ConsoleTestResource;
import dev.gantry.console.support.Login;
import dev.gantry.console.support.Upstreams;
import dev.gantry.testkit.Browser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console's pages in a real headless Chromium, against stub services behind it: what a person
 * sees and can do. e2e drives the same pages against the real services.
 */
@QuarkusTest
@QuarkusTestResource(ConsoleTestResource.class)
class ConsoleBrowserTest {
  private static final Path SHOTS = Path.of("target/screenshots");
  private static Browser browser;
  private String base;

  @BeforeAll
  static void startBrowser() {
    browser = Browser.start();
  }

  @AfterAll
  static void quitBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @BeforeEach
  void loggedOut() {
    base = ConsoleTestResource.publicUrl();
    browser.open(base + "/login");
    browser.driver().manage().deleteAllCookies();
  }

  @Test
  void shouldGoFromTheLoginPageToTheAppsPage() {
    browser.open(base + "/");
    assertThat(browser.url()).startsWith(base + "/login?next=");
    browser.await("login-token").sendKeys("not-a-token");
    browser.byTestId("login-submit").click();
    assertThat(browser.awaitVisible("login-error").getText()).contains("not valid");

    browser.login(base, Login.OPERATOR_TOKEN);
    assertThat(browser.url()).isEqualTo(base + "/");
    assertThat(browser.text("whoami")).contains("operator");
    WebElement row = browser.await("app-row");
    assertThat(row.getAttribute("data-app")).isEqualTo(Upstreams.APP);
    assertThat(row.findElements(By.cssSelector("[data-testid=weight-bar]"))).hasSize(1);
    assertThat(row.findElement(By.cssSelector("[data-testid=rollout-link]")).getAttribute("href"))
        .isEqualTo(base + "/rollouts/" + Upstreams.ROLLOUT);
    assertThat(row.findElement(By.cssSelector("[data-testid=build-link]")).getAttribute("href"))
        .isEqualTo(base + "/builds/" + Upstreams.BUILD);
    browser.screenshot(SHOTS.resolve("apps.png"));

    browser.byTestId("logout").click();
    browser.until(d -> d.getCurrentUrl().contains("/login"));
    browser.open(base + "/");
    assertThat(browser.url()).startsWith(base + "/login");
  }

  @Test
  void shouldLandOnTheRolloutOfAnEvidenceLinkAfterLoginAndShowItsEvidence() {
    browser.open(base + "/rollouts/" + Upstreams.ROLLOUT);
    assertThat(browser.url()).startsWith(base + "/login?next=");
    browser.login(base, Login.VIEWER_TOKEN);
    assertThat(browser.url()).isEqualTo(base + "/rollouts/" + Upstreams.ROLLOUT);

    assertThat(browser.text("rollout-phase")).isEqualTo("ROLLED_BACK");
    assertThat(browser.text("rollout-weight")).isEqualTo("0");
    WebElement goroutines = browser.await("chart-goroutines");
    assertThat(goroutines.getAttribute("data-canary-points")).isEqualTo("36");
    assertThat(goroutines.getAttribute("data-stable-points")).isEqualTo("36");
    // uPlot drew it: its canvas is inside the container
    assertThat(goroutines.findElements(By.tagName("canvas"))).isNotEmpty();
    // ratios come from deltas between consecutive samples: one fewer point than samples
    for (String chart :
        new String[] {"chart-error-ratio", "chart-latency", "chart-cpu-per-request"}) {
      assertThat(browser.byTestId(chart).getAttribute("data-canary-points"))
          .as(chart)
          .isEqualTo("35");
    }
    assertThat(browser.byTestId("chart-heap").getAttribute("data-stable-points")).isEqualTo("36");
    assertThat(browser.byTestId("chart-host-load").getAttribute("data-canary-points"))
        .isEqualTo("36");

    assertThat(browser.byTestId("verdict").getAttribute("data-verdict")).isEqualTo("FAIL");
    assertThat(browser.byTestId("evidence").getText())
        .contains("goroutines", "mann-kendall", "0.0004", "36");
    WebElement stack = browser.byTestId("stack");
    assertThat(stack.getAttribute("data-canary")).isEqualTo("360");
    assertThat(stack.getAttribute("data-stable")).isEqualTo("0");
    assertThat(stack.findElement(By.cssSelector("[data-testid=stack-frames]")).getText())
        .isEqualTo(Upstreams.LEAK_FRAME + "\nruntime.goexit");
    assertThat(browser.text("cpu-top")).contains(Upstreams.TOP_FUNCTION, "42.0 %");
    assertThat(browser.allByTestId("profile-link"))
        .isNotEmpty()
        .allSatisfy(
            a ->
                assertThat(a.getAttribute("href"))
                    .isEqualTo(base + "/api/profiles/" + Upstreams.PROFILE));
    assertThat(
            browser
                .byTestId("timeline")
                .findElements(By.cssSelector("[data-testid=timeline-entry]")))
        .hasSize(3);
    assertThat(browser.byTestId("timeline").getText()).contains("AnalysisFailed");
    browser.screenshot(SHOTS.resolve("rollout.png"));
    browser.script("document.querySelector('[data-testid=verdict]').scrollIntoView()");
    browser.screenshot(SHOTS.resolve("rollout-evidence.png"));
  }

  @Test
  void shouldDrawANewSampleWithoutAReloadWhenKafkaAnnouncesIt() {
    browser.login(base, Login.VIEWER_TOKEN);
    browser.open(base + "/rollouts/" + Upstreams.ROLLOUT);
    WebElement chart = browser.await("chart-goroutines");
    assertThat(chart.getAttribute("data-canary-points")).isEqualTo("36");
    browser.script("window.gantryNotReloaded = true;");
    Upstreams.EXTRA_CANARY_SAMPLES.set(1);
    try {
      // the console hears of records once its consumer has its partitions: announce until seen
      String bootstrap = dev.gantry.testkit.GantryInfra.kafka().bootstrapServers();
      browser.until(
          d -> {
            dev.gantry.testkit.KafkaEvents.publish(
                bootstrap,
                dev.gantry.events.Topics.ANALYSIS_SAMPLES,
                Upstreams.APP,
                dev.gantry.events.CloudEvent.of(
                    "monitor-service",
                    new dev.gantry.events.analysis.SampleRecorded(
                        Upstreams.ROLLOUT,
                        Upstreams.APP,
                        0,
                        "canary",
                        37,
                        java.time.Instant.now(),
                        false)));
            return "37"
                .equals(browser.byTestId("chart-goroutines").getAttribute("data-canary-points"));
          });
    } finally {
      Upstreams.EXTRA_CANARY_SAMPLES.set(0);
    }
    assertThat(browser.script("return window.gantryNotReloaded === true;")).isEqualTo(true);
  }

  @Test
  void shouldShowAViewerNoActionAndRefuseItsForgedPost() {
    browser.login(base, Login.VIEWER_TOKEN);
    browser.open(base + "/rollouts/" + Upstreams.ROLLOUT);
    assertThat(browser.text("rollout-phase")).isEqualTo("ROLLED_BACK");
    assertThat(browser.text("whoami")).contains("viewer");
    for (String action : new String[] {"promote", "pause", "resume", "abort", "rollback"}) {
      assertThat(browser.allByTestId("action-" + action)).as(action).isEmpty();
    }
    int before = Upstreams.ROLLOUTS.calls().size();
    Object status =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/api/session').then(r => r.json()).then(s => fetch('/api/rollouts/"
                + Upstreams.ROLLOUT
                + "/abort', {method: 'POST', headers: {'X-CSRF-Token': s.csrf}}))"
                + ".then(r => done(r.status), e => done(String(e)));");
    assertThat(status).isEqualTo(403L);
    assertThat(Upstreams.ROLLOUTS.calls().subList(before, Upstreams.ROLLOUTS.calls().size()))
        .noneMatch(c -> c.method().equals("POST"));
  }

  @Test
  void shouldConfirmAnOperatorsActionAndShowTheStateItLedTo() {
    browser.login(base, Login.OPERATOR_TOKEN);
    browser.open(base + "/rollouts/" + Upstreams.ROLLOUT);
    browser.await("action-abort").click();
    browser.awaitVisible("confirm-yes").click();
    browser.until(d -> browser.text("action-result").contains("ABORTED"));
    assertThat(Upstreams.ROLLOUTS.calls())
        .anyMatch(c -> c.method().equals("POST") && c.path().endsWith("/abort"));
  }

  @Test
  void shouldShowABuildWithItsLogAndTrailAndTheAlerts() {
    browser.login(base, Login.VIEWER_TOKEN);
    browser.open(base + "/builds/" + Upstreams.BUILD);
    assertThat(browser.text("build-status")).isEqualTo("SUCCEEDED");
    assertThat(browser.allByTestId("build-stage")).hasSize(2);
    assertThat(browser.text("artifact")).contains("ab".repeat(32));
    browser.until(d -> browser.text("build-log").contains("line ending at 30"));
    assertThat(browser.byTestId("build-trail").getText()).contains("ROLLED_BACK");
    browser.screenshot(SHOTS.resolve("build.png"));

    browser.open(base + "/alerts");
    assertThat(browser.await("incident").getAttribute("data-severity")).isEqualTo("critical");
    browser.until(d -> browser.allByTestId("delivery").size() == 3);
  }

  @Test
  void shouldSayNotFoundForAnUnknownRollout() {
    browser.login(base, Login.VIEWER_TOKEN);
    browser.open(base + "/rollouts/00000000-0000-4000-8000-000000000000");
    assertThat(browser.text("not-found")).contains("00000000-0000-4000-8000-000000000000");
    browser.open(base + "/builds/nope");
    assertThat(browser.text("not-found")).contains("nope");
  }

  @Test
  void shouldNameTheServiceThatIsAwayAndShowTheRest() {
    browser.login(base, Login.VIEWER_TOKEN);
    Upstreams.MONITOR.stop();
    try {
      browser.open(base + "/rollouts/" + Upstreams.ROLLOUT);
      assertThat(browser.awaitVisible("away").getText()).contains("monitor-service");
      assertThat(browser.text("rollout-phase")).isEqualTo("ROLLED_BACK");
      assertThat(browser.allByTestId("timeline-entry")).hasSize(3);
      browser.screenshot(SHOTS.resolve("away.png"));
      browser.open(base + "/alerts");
      assertThat(browser.awaitVisible("away").getText()).contains("monitor-service");
    } finally {
      Upstreams.MONITOR.restart();
    }
  }
}

package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.gantry.console.support.ConsoleTestResource;
import dev.gantry.console.support.Login;
import dev.gantry.console.support.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** What the console makes of the services behind it: their data, their absence, unknown ids. */
@QuarkusTest
@QuarkusTestResource(ConsoleTestResource.class)
class UpstreamTest {

  @Test
  void shouldJoinTheRolloutAndItsAnalysisForTheRolloutPage() {
    Login.viewer()
        .request()
        .get("/api/rollouts/" + Upstreams.ROLLOUT)
        .then()
        .statusCode(200)
        .body("rollout.phase", equalTo("ROLLED_BACK"))
        .body("rollout.history.size()", equalTo(3))
        .body("analysis.steps[0].canary.points.size()", equalTo(Upstreams.SAMPLES))
        .body("analysis.verdicts[0].verdict", equalTo("FAIL"))
        .body("away", empty());
  }

  @Test
  void shouldAnswerNotFoundForAnIdNobodyHas() {
    Login viewer = Login.viewer();
    viewer
        .request()
        .get("/api/rollouts/00000000-0000-4000-8000-000000000000")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    viewer.request().get("/api/builds/nope").then().statusCode(404);
    viewer.request().get("/api/apps/nope").then().statusCode(404);
    viewer.request().get("/api/rollouts/..%2F..%2Fapps").then().statusCode(404);
    viewer.request().get("/api/profiles/..").then().statusCode(404);
  }

  @Test
  void shouldNameTheServiceThatIsAwayAndStillShowTheRest() {
    Login viewer = Login.viewer();
    Upstreams.MONITOR.stop();
    try {
      viewer
          .request()
          .get("/api/alerts")
          .then()
          .statusCode(502)
          .contentType("application/problem+json")
          .body("service", equalTo("monitor-service"));
      viewer
          .request()
          .get("/api/rollouts/" + Upstreams.ROLLOUT)
          .then()
          .statusCode(200)
          .body("rollout.phase", equalTo("ROLLED_BACK"))
          .body("away", contains("monitor-service"));
    } finally {
      Upstreams.MONITOR.restart();
    }
    Upstreams.ROLLOUTS.stop();
    try {
      viewer
          .request()
          .get("/api/apps")
          .then()
          .statusCode(200)
          .body("apps", empty())
          .body("away", contains("rollout-service"));
    } finally {
      Upstreams.ROLLOUTS.restart();
    }
    viewer.request().get("/api/alerts").then().statusCode(200);
  }

  @Test
  void shouldListEveryAppWithItsRolloutVerdictsAndBuilds() {
    Login.viewer()
        .request()
        .get("/api/apps")
        .then()
        .statusCode(200)
        .body("apps[0].app.name", equalTo(Upstreams.APP))
        .body("apps[0].rollouts[0].id", equalTo(Upstreams.ROLLOUT))
        .body("apps[0].analyses[0].verdict", equalTo("FAIL"))
        .body("apps[0].builds[0].id", equalTo(Upstreams.BUILD));
  }

  @Test
  void shouldDownloadARawProfileForGoToolPprof() {
    Response r = Login.viewer().request().get("/api/profiles/" + Upstreams.PROFILE);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.header("Content-Disposition")).startsWith("attachment;");
    assertThat(r.asByteArray()).startsWith(0x1f, 0x8b);
  }

  @Test
  void shouldResumeTheBuildLogFromTheLastEventIdTheBrowserSends() {
    String all =
        Login.viewer()
            .request()
            .get("/api/builds/" + Upstreams.BUILD + "/log/stream")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(all).contains("line ending at 10", "line ending at 30", "event:end");
    String resumed =
        Login.viewer()
            .request()
            .header("Last-Event-ID", "20")
            .get("/api/builds/" + Upstreams.BUILD + "/log/stream")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(resumed).contains("line ending at 30").doesNotContain("line ending at 10");
    assertThat(resumed).contains("id:30");
    assertThat(Upstreams.BUILDS.calls()).anyMatch(c -> "20".equals(c.lastEventId()));
  }

  @Test
  void shouldServeTheChartLibraryEveryPageAsksFor() {
    Login viewer = Login.viewer();
    String html =
        viewer
            .request()
            .get("/rollouts/" + Upstreams.ROLLOUT)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(html);
    int assets = 0;
    while (m.find()) {
      assets++;
      viewer.request().get(m.group(1)).then().statusCode(200);
    }
    assertThat(html).contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
    assertThat(assets).isGreaterThanOrEqualTo(4);
    assertThat(ConsoleTestResource.publicUrl()).startsWith("http://127.0.0.1:");
  }
}

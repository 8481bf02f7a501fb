package dev.gantry.rollout.flow;

import static dev.gantry.rollout.flow.Releases.publishBuild;
import static dev.gantry.rollout.flow.Releases.publishRollbackRequest;
import static dev.gantry.rollout.flow.Releases.publishVerdict;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.events.EventData;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.events.rollout.Release;
import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutEvent;
import dev.gantry.events.rollout.RolloutPaused;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStarted;
import dev.gantry.events.rollout.RolloutStepCompleted;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.events.rollout.Target;
import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What rollout.events promises its consumers (issue 4): every event names the app, the versions
 * with their build and commit, so that whatever runs traces back to its build; a step's targets say
 * where monitor-service scrapes.
 */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
// the kubernetes router's API server (fabric8 mock, CRUD mode) as a global resource, as
// monitor-service
// does: @WithKubernetesTestServer would restrict it to one class and restart Quarkus for it
@QuarkusTestResource(KubernetesServerTestResource.class)
class RolloutEventsFlowTest {

  @Test
  void shouldNameTheAppBothVersionsTheirBuildsAndCommitsOnEveryKindOfRolloutEvent()
      throws Exception {
    FlowApp app = FlowApp.register("local");
    app.deployFirst("v1"); // started, step started and completed, promoted; no stable yet

    // v2: a PASS, a pause, then the monitor asks for a rollback
    RolloutStepStarted v2 = app.canaryAtFirstStep(null, "v2");
    publishVerdict(v2.rolloutId(), app.name(), 0, Verdict.PASS);
    app.awaitStep(1);
    operator("/rollouts/" + v2.rolloutId() + "/pause");
    app.await(RolloutPaused.class, e -> e.rolloutId().equals(v2.rolloutId()));
    publishRollbackRequest(v2.rolloutId(), app.name(), "p99 latency doubled");
    app.await(RolloutRolledBack.class, e -> e.rolloutId().equals(v2.rolloutId()));

    // v3: aborted by an operator; v4: promoted in full
    RolloutStepStarted v3 = canaryAt5(app, "v3");
    operator("/rollouts/" + v3.rolloutId() + "/abort");
    app.await(RolloutAborted.class, e -> e.rolloutId().equals(v3.rolloutId()));
    RolloutStepStarted v4 = canaryAt5(app, "v4");
    operator("/rollouts/" + v4.rolloutId() + "/promote?full=true");
    app.await(RolloutPromoted.class, e -> e.rolloutId().equals(v4.rolloutId()));

    List<EventData> events = app.events(EventData.class);
    assertThat(events.stream().map(Object::getClass).collect(Collectors.toSet()))
        .as("all seven kinds")
        .containsExactlyInAnyOrder(
            RolloutStarted.class,
            RolloutStepStarted.class,
            RolloutStepCompleted.class,
            RolloutPaused.class,
            RolloutPromoted.class,
            RolloutAborted.class,
            RolloutRolledBack.class);
    for (EventData event : events) {
      assertThat(event).as("on rollout.events").isInstanceOf(RolloutEvent.class);
      RolloutEvent v = (RolloutEvent) event;
      assertThat(v.app()).as("app of %s", event).isEqualTo(app.name());
      assertTraced(v.canary(), event);
      if (v.canary().version().equals("v1")) {
        assertThat(v.stable()).as("a first deploy replaces nothing: %s", event).isNull();
      } else {
        assertThat(v.stable()).as("stable of %s", event).isNotNull();
        assertTraced(v.stable(), event);
        assertThat(v.stable().version()).isEqualTo("v1");
      }
    }

    String host = InetAddress.getLocalHost().getHostName();
    List<RolloutStepStarted> steps = app.events(RolloutStepStarted.class);
    assertThat(steps).hasSizeGreaterThanOrEqualTo(5);
    for (RolloutStepStarted step : steps) {
      assertScrapable(step.canaryTarget(), "canary", step.canary().version(), host);
      if (step.stable() != null) {
        assertScrapable(step.stableTarget(), "stable", step.stable().version(), host);
      }
    }
  }

  /** Version, build and commit, as build-worker named them in its BuildSucceeded. */
  private static void assertTraced(Release release, EventData event) {
    assertThat(release).as("release in %s", event).isNotNull();
    assertThat(release.buildId())
        .as("build of %s in %s", release.version(), event)
        .startsWith("build-")
        .contains("-" + release.version() + "-");
    assertThat(release.commit())
        .as("commit of %s in %s", release.version(), event)
        .isEqualTo(Releases.commit(release.version()));
    assertThat(release.artifact()).contains("/" + release.version() + "/linux_amd64/");
  }

  /** Where monitor-service scrapes the track: the URLs answer, on this host. */
  private static void assertScrapable(Target target, String track, String version, String host) {
    assertThat(target).as("%s target of %s", track, version).isNotNull();
    assertThat(target.track()).isEqualTo(track);
    assertThat(target.version()).isEqualTo(version);
    assertThat(target.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(target.pprofUrl()).isEqualTo(target.baseUrl() + "/debug/pprof");
    assertThat(target.metricsUrl()).isEqualTo(target.baseUrl() + "/metrics");
    assertThat(target.host()).isEqualTo(host);
  }

  private static RolloutStepStarted canaryAt5(FlowApp app, String version) {
    publishBuild(Releases.built(app.name(), version));
    return app.await(
        RolloutStepStarted.class, e -> e.canary().version().equals(version) && e.step() == 0);
  }

  private static void operator(String path) {
    given().header("Authorization", RolloutFlowTest.OPERATOR).post(path).then().statusCode(200);
  }
}

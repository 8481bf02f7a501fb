package dev.gantry.monitor;

import static dev.gantry.monitor.MonitorFlowTest.VIEWER;
import static dev.gantry.monitor.MonitorFlowTest.startStep;
import static dev.gantry.monitor.MonitorFlowTest.verdictsOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.RollbackRequested;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.monitor.support.AlertReceiver;
import dev.gantry.monitor.support.Rollouts;
import dev.gantry.monitor.support.RunningSample;
import dev.gantry.testkit.GantryInfra;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failing canary pages on-call on every channel, once per detector, and the rollback resolves it.
 */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
@QuarkusTestResource(AlertReceiver.class)
@QuarkusTestResource(KubernetesServerTestResource.class)
class AlertsTest {
  static final String OPERATOR = "Bearer test-operator-token-0123456789";
  static final Duration DELIVERED_WITHIN = Duration.ofSeconds(20);

  @Inject AgroalDataSource db;

  private static JsonNode awaitOne(String channel, String field, String value) {
    await(channel + " " + field + "=" + value)
        .atMost(DELIVERED_WITHIN)
        .until(() -> matching(channel, field, value).size() >= 1);
    return matching(channel, field, value).get(0);
  }

  @BeforeEach
  void freshReceiver() {
    AlertReceiver.reset();
  }

  /** This rollout's Slack messages: the receiver may still get another test's late retries. */
  private static List<JsonNode> slackOf(String rolloutId) {
    return AlertReceiver.received(AlertReceiver.SLACK).stream()
        .filter(b -> b.toString().contains(rolloutId))
        .toList();
  }

  /** {@code GET /alerts?app=}: the app's incidents, each with every delivery attempt. */
  private static JsonPath alertsOf(String app) {
    return given()
        .header("Authorization", VIEWER)
        .queryParam("app", app)
        .when()
        .get("/alerts")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /**
   * The real Alertmanager's notifications in which this rollout's alert has {@code status}; a
   * notification carries every alert of its group (the app), so others' may be in it too.
   */
  private static List<JsonNode> notified(String rolloutId, String status) {
    return AlertReceiver.received(AlertReceiver.ALERTMANAGER).stream()
        .filter(n -> status.equals(alertOf(n, rolloutId).path("status").asText()))
        .toList();
  }

  private static JsonNode alertOf(JsonNode notification, String rolloutId) {
    for (JsonNode a : notification.path("alerts")) {
      if (rolloutId.equals(a.at("/labels/rollout").asText())) {
        return a;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static List<JsonNode> matching(String channel, String field, String value) {
    return AlertReceiver.received(channel).stream()
        .filter(b -> value.equals(b.at(field).asText()))
        .toList();
  }

  /**
   * What a monitor that stopped (or crashed mid-attempt) left undelivered is in the database: this
   * one sends it, retries included, and the resolve only after its trigger.
   */
  @Test
  void shouldSendWhatAStoppedMonitorLeftUndelivered() throws SQLException {
    String alertId = UUID.randomUUID().toString();
    String rolloutId = "left-" + alertId;
    String dedupKey = "gantry/" + AlertReceiver.APP + "/" + rolloutId + "/goroutines";
    try (Connection c = db.getConnection();
        PreparedStatement alert =
            c.prepareStatement(
                "INSERT INTO alerts (id, app, rollout_id, step, detector, dedup_key,"
                    + " canary_version, stable_version, summary, action, state, opened_at,"
                    + " resolved_at) VALUES (?::uuid, ?, ?, 1, 'goroutines', ?, 'v2', 'v1',"
                    + " 'goroutines grew', 'rollback requested', 'RESOLVED', now(), now())");
        PreparedStatement outbox =
            c.prepareStatement(
                "INSERT INTO alert_outbox (alert_id, channel, action, attempts, next_attempt_at)"
                    + " VALUES (?::uuid, 'pagerduty', ?, ?, now() - interval '1 second')")) {
      alert.setString(1, alertId);
      alert.setString(2, AlertReceiver.APP);
      alert.setString(3, rolloutId);
      alert.setString(4, dedupKey);
      alert.executeUpdate();
      // the trigger was refused once and its retry fell due while no monitor ran; the resolve waits
      outbox.setString(1, alertId);
      outbox.setString(2, "trigger");
      outbox.setInt(3, 1);
      outbox.executeUpdate();
      outbox.setString(2, "resolve");
      outbox.setInt(3, 0);
      outbox.executeUpdate();
    }

    await("trigger and resolve of the left-over page")
        .atMost(DELIVERED_WITHIN)
        .until(() -> matching(AlertReceiver.PAGERDUTY, "/dedup_key", dedupKey).size() == 2);
    assertThat(matching(AlertReceiver.PAGERDUTY, "/dedup_key", dedupKey))
        .extracting(b -> b.at("/event_action").asText())
        .containsExactly("trigger", "resolve");
    List<Map<String, Object>> deliveries =
        alertsOf(AlertReceiver.APP)
            .getList("findAll { it.alert.id == '" + alertId + "' }[0].deliveries");
    assertThat(deliveries)
        .extracting(d -> d.get("action") + " #" + d.get("attempt") + " " + d.get("statusCode"))
        .containsExactly("trigger #2 429", "trigger #3 202", "resolve #1 202");
  }

  @Test
  void shouldPageOncePerDetectorOnEveryChannelAndResolveWhenRolledBack() {
    try (RunningSample stable = RunningSample.start("v1").withTraffic(20);
        RunningSample canary =
            RunningSample.start("v2", Map.of("SAMPLE_LEAK_PER_REQUEST", "1")).withTraffic(20)) {
      Rollouts r = new Rollouts(AlertReceiver.APP, "v2", "v1");
      String dedupKey = "gantry/" + r.app + "/" + r.rolloutId + "/goroutines";
      startStep(r, 1, canary, stable);
      verdictsOf(r.rolloutId, RollbackRequested.class, 1);

      JsonNode pd = awaitOne(AlertReceiver.PAGERDUTY, "/dedup_key", dedupKey);
      assertThat(pd.at("/event_action").asText()).isEqualTo("trigger");
      assertThat(pd.at("/routing_key").asText()).isEqualTo(AlertReceiver.ROUTING_KEY);
      assertThat(pd.at("/payload/severity").asText()).isEqualTo("critical");
      assertThat(pd.at("/payload/summary").asText())
          .contains("v2", "goroutines", "rollback requested", "canary", "stable");
      assertThat(pd.at("/payload/custom_details/stable_version").asText()).isEqualTo("v1");
      assertThat(pd.at("/links/0/href").asText())
          .isEqualTo(AlertReceiver.CONSOLE + "/rollouts/" + r.rolloutId);
      assertThat(pd.at("/payload/custom_details/stacks_that_grew").asText())
          .contains("canary ", " vs stable ");

      // the plain webhook channel: what an Alertmanager webhook receiver gets
      JsonNode hook = awaitOne(AlertReceiver.WEBHOOK, "/groupKey", dedupKey);
      assertThat(hook.at("/version").asText()).isEqualTo("4");
      assertThat(hook.at("/status").asText()).isEqualTo("firing");
      assertThat(hook.at("/alerts/0/labels/detector").asText()).isEqualTo("goroutines");
      assertThat(hook.at("/alerts/0/labels/version").asText()).isEqualTo("v2");
      assertThat(hook.at("/alerts/0/annotations/description").asText()).contains("goroutines grew");
      assertThat(hook.at("/alerts/0/annotations/stacks").asText())
          .contains("canary ", " vs stable ");
      assertThat(hook.at("/alerts/0/endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");

      // the real Alertmanager took the alert on its API and notified its receiver, grouped by app
      JsonNode am =
          await("Alertmanager's notification")
              .atMost(DELIVERED_WITHIN)
              .until(() -> notified(r.rolloutId, "firing"), n -> !n.isEmpty())
              .get(0);
      assertThat(am.at("/groupLabels/app").asText()).isEqualTo(r.app);
      JsonNode amAlert = alertOf(am, r.rolloutId);
      assertThat(amAlert.at("/labels/severity").asText()).isEqualTo("critical");
      assertThat(amAlert.at("/labels/alertname").asText()).isEqualTo("GantryCanaryFailed");
      assertThat(amAlert.at("/annotations/evidence").asText())
          .isEqualTo(AlertReceiver.CONSOLE + "/rollouts/" + r.rolloutId);
      assertThat(amAlert.at("/annotations/stacks").asText()).contains("canary ", " vs stable ");
      assertThat(amAlert.at("/generatorURL").asText()).startsWith(AlertReceiver.CONSOLE);

      await("slack message").atMost(DELIVERED_WITHIN).until(() -> slackOf(r.rolloutId).size() >= 1);
      JsonNode slack = slackOf(r.rolloutId).get(0);
      assertThat(slack.at("/blocks/0/type").asText()).isEqualTo("header");
      assertThat(slack.at("/blocks/0/text/text").asText()).contains(r.app, "v2", "goroutines");
      assertThat(slack.at("/blocks/2/fields").toString()).contains("rollback requested", "v1");

      // the same detector failing the next step is the same incident: no second page
      startStep(r, 2, canary, stable);
      AnalysisVerdict second =
          (AnalysisVerdict) verdictsOf(r.rolloutId, AnalysisVerdict.class, 2).get(1).event().data();
      // only a second FAIL makes "no second page" mean something
      assertThat(second.step()).isEqualTo(2);
      assertThat(second.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(second.evidence())
          .anyMatch(e -> e.check().equals("goroutines") && e.verdict() == Verdict.FAIL);
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> matching(AlertReceiver.PAGERDUTY, "/dedup_key", dedupKey).size() == 1);

      await("a re-send of the firing alert to Alertmanager")
          .atMost(DELIVERED_WITHIN)
          .until(
              () ->
                  alertsOf(r.app)
                          .getList(
                              "findAll { it.alert.rolloutId == '"
                                  + r.rolloutId
                                  + "' }.deliveries.flatten()"
                                  + ".findAll { it.channel == 'alertmanager' && it.action == 'resend' }")
                          .size()
                      > 0);
      r.publish(r.rolledBack(2));

      await("pagerduty resolve")
          .atMost(DELIVERED_WITHIN)
          .until(() -> matching(AlertReceiver.PAGERDUTY, "/dedup_key", dedupKey).size() == 2);
      assertThat(
              matching(AlertReceiver.PAGERDUTY, "/dedup_key", dedupKey)
                  .get(1)
                  .at("/event_action")
                  .asText())
          .isEqualTo("resolve");
      JsonNode resolved = awaitOne(AlertReceiver.WEBHOOK, "/status", "resolved");
      assertThat(resolved.at("/groupKey").asText()).isEqualTo(dedupKey);
      assertThat(resolved.at("/alerts/0/endsAt").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
      await("Alertmanager's resolved notification")
          .atMost(DELIVERED_WITHIN)
          .until(() -> notified(r.rolloutId, "resolved"), n -> !n.isEmpty());
      await("slack resolve").atMost(DELIVERED_WITHIN).until(() -> slackOf(r.rolloutId).size() >= 2);
      assertThat(slackOf(r.rolloutId).get(1).at("/text").asText()).startsWith("Resolved:");

      JsonPath alerts = alertsOf(r.app);
      assertThat(alerts.getList("alert.detector")).containsExactly("goroutines");
      assertThat(alerts.getString("[0].alert.state")).isEqualTo("RESOLVED");
      List<Map<String, Object>> deliveries = alerts.getList("[0].deliveries");
      assertThat(deliveries)
          .filteredOn(
              d -> d.get("channel").equals("pagerduty") && d.get("action").equals("trigger"))
          .extracting(d -> d.get("statusCode"))
          .containsExactly(429, 202);
      assertThat(deliveries)
          .filteredOn(d -> d.get("channel").equals("slack") && d.get("action").equals("trigger"))
          .extracting(d -> d.get("outcome"))
          .containsExactly("rejected, will retry", "delivered");
      assertThat(alerts.prettify()).doesNotContain(AlertReceiver.ROUTING_KEY, "XXXXSECRET");
      // the alert was re-sent to Alertmanager while it fired, and Alertmanager notified once per
      // incident all the same
      assertThat(deliveries)
          .filteredOn(
              d -> d.get("channel").equals("alertmanager") && d.get("action").equals("resend"))
          .isNotEmpty();
      assertThat(notified(r.rolloutId, "firing"))
          .hasSizeLessThanOrEqualTo(alerts.getList("").size());

      String id = alerts.getString("[0].alert.id");
      given()
          .header("Authorization", VIEWER)
          .when()
          .post("/alerts/" + id + "/ack")
          .then()
          .statusCode(403);
      given()
          .header("Authorization", OPERATOR)
          .when()
          .post("/alerts/" + id + "/ack")
          .then()
          .statusCode(200)
          .body("alert.ackedAt", org.hamcrest.Matchers.notNullValue());
    }
  }

  @Test
  void shouldPageAnAutomaticRollbackCriticalAndAPauseThatWaitsForAPersonAsAWarning() {
    Rollouts unhealthy = new Rollouts(AlertReceiver.APP, "v7", "v6");
    var rolledBack =
        unhealthy.rolledBack(1, "CanaryUnhealthy", "the canary failed its health check 3 times");
    unhealthy.publish(rolledBack);
    String rollbackKey =
        "gantry/" + unhealthy.app + "/" + unhealthy.rolloutId + "/rollback:CanaryUnhealthy";
    JsonNode pd = awaitOne(AlertReceiver.PAGERDUTY, "/dedup_key", rollbackKey);
    assertThat(pd.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(pd.at("/payload/summary").asText())
        .contains("v7", "rolled back automatically", "CanaryUnhealthy", "health check");
    JsonNode hook = awaitOne(AlertReceiver.WEBHOOK, "/groupKey", rollbackKey);
    assertThat(hook.at("/alerts/0/labels/alertname").asText()).isEqualTo("GantryCanaryRolledBack");
    assertThat(hook.at("/alerts/0/annotations/evidence").asText())
        .isEqualTo(AlertReceiver.CONSOLE + "/rollouts/" + unhealthy.rolloutId);
    // the same rollback delivered again neither closes nor repeats its page
    unhealthy.publish(rolledBack);

    Rollouts waiting = new Rollouts(AlertReceiver.APP, "v9", "v8");
    waiting.publish(waiting.paused(2, "AnalysisInconclusive", "too few requests to judge"));
    String pauseKey =
        "gantry/" + waiting.app + "/" + waiting.rolloutId + "/paused:AnalysisInconclusive";
    JsonNode warning = awaitOne(AlertReceiver.PAGERDUTY, "/dedup_key", pauseKey);
    assertThat(warning.at("/payload/severity").asText()).isEqualTo("warning");
    assertThat(warning.at("/payload/summary").asText()).contains("paused", "too few requests");
    // a pause a person asked for pages nobody
    Rollouts asked = new Rollouts(AlertReceiver.APP, "v11", "v10");
    asked.publish(asked.paused(1, "ManualPause", "an operator paused it"));

    // the rollout moves on (here: aborted): the warning is resolved
    waiting.publish(waiting.aborted(2));
    await("the pause's page resolved")
        .atMost(DELIVERED_WITHIN)
        .until(() -> matching(AlertReceiver.PAGERDUTY, "/dedup_key", pauseKey).size() == 2);
    assertThat(
            matching(AlertReceiver.PAGERDUTY, "/dedup_key", pauseKey)
                .get(1)
                .at("/event_action")
                .asText())
        .isEqualTo("resolve");

    JsonPath alerts = alertsOf(AlertReceiver.APP);
    assertThat(alerts.getList("findAll { it.alert.rolloutId == '" + asked.rolloutId + "' }"))
        .isEmpty();
    // the automatic rollback's incident stays open until acknowledged or the app's next rollout
    assertThat(
            alerts.getString(
                "find { it.alert.rolloutId == '" + unhealthy.rolloutId + "' }.alert.state"))
        .isEqualTo("OPEN");
    assertThat(
            alerts.getString(
                "find { it.alert.rolloutId == '" + waiting.rolloutId + "' }.alert.severity"))
        .isEqualTo("warning");
    assertThat(matching(AlertReceiver.PAGERDUTY, "/dedup_key", rollbackKey)).hasSize(1);

    // an operator acknowledges the automatic rollback's page: nothing is left to wait for
    String id =
        alerts.getString("find { it.alert.rolloutId == '" + unhealthy.rolloutId + "' }.alert.id");
    given()
        .header("Authorization", OPERATOR)
        .when()
        .post("/alerts/" + id + "/ack")
        .then()
        .statusCode(200)
        .body("alert.state", org.hamcrest.Matchers.equalTo("RESOLVED"));
    await("the acknowledged rollback's page resolved")
        .atMost(DELIVERED_WITHIN)
        .until(() -> matching(AlertReceiver.PAGERDUTY, "/dedup_key", rollbackKey).size() == 2);
    assertThat(
            matching(AlertReceiver.PAGERDUTY, "/dedup_key", rollbackKey)
                .get(1)
                .at("/event_action")
                .asText())
        .isEqualTo("resolve");
  }
}

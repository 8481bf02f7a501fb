package dev.gantry.monitor.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.edge.ConsoleLinks;
import dev.gantry.events.EventCodec;
import dev.gantry.events.analysis.Evidence.GrownStack;
import java.time.Instant;
import java.util.Locale;

/**
 * The wire formats of one alert: what happened, which version, the metric with canary and stable
 * values, the action taken, the first frames of the goroutine stacks that grew, and a link to the
 * evidence on the console. Each stays within its channel's limits.
 */
public final class AlertPayloads {
  /** Alertmanager's zero time: a firing alert has no end yet. */
  static final String NO_END = "0001-01-01T00:00:00Z";

  /** Stacks a page carries, and frames of each: the leaf and what called it. */
  static final int STACKS = 3;

  static final int FRAMES = 4;

  /** The stacks text's bound: well inside a Slack section (3000) and an annotation. */
  static final int STACKS_CHARS = 2000;

  private AlertPayloads() {}

  static String title(Alert a) {
    if (a.detector().startsWith(Alert.ROLLBACK)) {
      return String.format(
          Locale.ROOT,
          "%s canary %s rolled back automatically (%s)",
          a.app(),
          a.canaryVersion(),
          a.detector().substring(Alert.ROLLBACK.length()));
    }
    if (a.detector().startsWith(Alert.PAUSED)) {
      return String.format(
          Locale.ROOT,
          "%s rollout of %s paused at step %d (%s): it waits for a person",
          a.app(),
          a.canaryVersion(),
          a.step(),
          a.detector().substring(Alert.PAUSED.length()));
    }
    return String.format(
        Locale.ROOT,
        "%s canary %s failed on %s: %s",
        a.app(),
        a.canaryVersion(),
        a.detector(),
        a.action());
  }

  static String values(Alert a) {
    if (a.canaryValue() == null && a.stableValue() == null) {
      return a.summary();
    }
    return String.format(
        Locale.ROOT,
        "%s: canary %s vs stable %s %s",
        a.detector(),
        number(a.canaryValue()),
        number(a.stableValue()),
        a.unit() == null ? "" : a.unit());
  }

  private static String number(Double v) {
    if (v == null) {
      return "n/a";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString(v.longValue())
        : String.format(Locale.ROOT, "%.4g", v);
  }

  static String evidenceUrl(String consoleUrl, Alert a) {
    return ConsoleLinks.rollout(consoleUrl, a.rolloutId());
  }

  /**
   * The stacks that grew, one line per stack: canary and stable counts, then the first frames from
   * the leaf, joined by " ← "; empty when the incident has none.
   */
  static String stacksText(Alert a) {
    StringBuilder out = new StringBuilder();
    for (GrownStack st : a.stacks().subList(0, Math.min(STACKS, a.stacks().size()))) {
      String[] frames = st.frames().split("\n");
      StringBuilder line =
          new StringBuilder(
              String.format(Locale.ROOT, "canary %d vs stable %d: ", st.canary(), st.stable()));
      for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
        line.append(i == 0 ? "" : " ← ").append(frames[i].strip());
      }
      if (frames.length > FRAMES) {
        line.append(" ← …");
      }
      if (out.length() + line.length() + 1 > STACKS_CHARS) {
        break;
      }
      out.append(out.isEmpty() ? "" : "\n").append(line);
    }
    return out.toString();
  }

  private static ObjectNode labels(Alert a, String alertname) {
    ObjectNode labels = EventCodec.mapper().createObjectNode();
    labels.put("alertname", alertname);
    labels.put("app", a.app());
    labels.put("rollout", a.rolloutId());
    labels.put("detector", a.detector());
    labels.put("version", String.valueOf(a.canaryVersion()));
    labels.put("severity", a.severity());
    return labels;
  }

  private static String alertname(Alert a) {
    if (a.detector().startsWith(Alert.ROLLBACK)) {
      return "GantryCanaryRolledBack";
    }
    return a.detector().startsWith(Alert.PAUSED) ? "GantryRolloutPaused" : "GantryCanaryFailed";
  }

  private static ObjectNode annotations(Alert a, String consoleUrl) {
    ObjectNode annotations = EventCodec.mapper().createObjectNode();
    annotations.put("summary", title(a));
    annotations.put("description", a.summary());
    annotations.put("values", values(a));
    annotations.put("action", a.action());
    annotations.put("stable_version", String.valueOf(a.stableVersion()));
    annotations.put("evidence", evidenceUrl(consoleUrl, a));
    String stacks = stacksText(a);
    if (!stacks.isEmpty()) {
      annotations.put("stacks", stacks);
    }
    return annotations;
  }

  /**
   * Alertmanager's API ({@code POST /api/v2/alerts}): the incident as one alert, as Prometheus
   * sends it. A firing alert ends at {@code validUntil} unless sent again before, so an incident a
   * dead monitor can no longer resolve does not fire forever; a resolved one ends when it was
   * resolved.
   */
  public static ArrayNode alertmanagerApi(
      Alert a, boolean resolved, String consoleUrl, Instant validUntil) {
    ArrayNode alerts = EventCodec.mapper().createArrayNode();
    ObjectNode alert = alerts.addObject();
    alert.set("labels", labels(a, alertname(a)));
    alert.set("annotations", annotations(a, consoleUrl));
    alert.put("startsAt", a.openedAt().toString());
    alert.put(
        "endsAt",
        resolved && a.resolvedAt() != null ? a.resolvedAt().toString() : validUntil.toString());
    alert.put("generatorURL", evidenceUrl(consoleUrl, a));
    return alerts;
  }

  /**
   * The body an Alertmanager webhook receiver gets (payload version 4), one alert per incident:
   * Gantry's plain {@code webhook} channel.
   */
  public static ObjectNode webhook(Alert a, boolean resolved, String consoleUrl) {
    ObjectNode root = EventCodec.mapper().createObjectNode();
    String status = resolved ? "resolved" : "firing";
    ObjectNode labels = labels(a, alertname(a));
    ObjectNode annotations = annotations(a, consoleUrl);
    root.put("version", "4");
    root.put("groupKey", a.dedupKey());
    root.put("truncatedAlerts", 0);
    root.put("status", status);
    root.put("receiver", "gantry");
    root.set("groupLabels", labels.deepCopy().retain("app", "rollout", "detector"));
    root.set("commonLabels", labels.deepCopy());
    root.set("commonAnnotations", annotations.deepCopy());
    root.put("externalURL", consoleUrl);
    ArrayNode alerts = root.putArray("alerts");
    ObjectNode alert = alerts.addObject();
    alert.put("status", status);
    alert.set("labels", labels);
    alert.set("annotations", annotations);
    alert.put("startsAt", a.openedAt().toString());
    alert.put("endsAt", resolved && a.resolvedAt() != null ? a.resolvedAt().toString() : NO_END);
    alert.put("generatorURL", evidenceUrl(consoleUrl, a));
    alert.put("fingerprint", Integer.toHexString(a.dedupKey().hashCode()));
    return root;
  }

  /** PagerDuty Events API v2: a trigger with details, or a resolve of the same dedup_key. */
  public static ObjectNode pagerduty(
      Alert a, boolean resolved, String routingKey, String consoleUrl) {
    ObjectNode root = EventCodec.mapper().createObjectNode();
    root.put("routing_key", routingKey);
    root.put("event_action", resolved ? "resolve" : "trigger");
    root.put("dedup_key", a.dedupKey());
    if (resolved) {
      return root;
    }
    ObjectNode payload = root.putObject("payload");
    String summary = title(a) + " — " + values(a);
    payload.put("summary", summary.length() > 1024 ? summary.substring(0, 1024) : summary);
    payload.put("source", a.app());
    payload.put("severity", a.severity());
    payload.put("timestamp", a.openedAt().toString());
    payload.put("component", a.app());
    payload.put("group", a.rolloutId());
    payload.put("class", a.detector());
    ObjectNode details = payload.putObject("custom_details");
    details.put("what", a.summary());
    details.put("canary_version", a.canaryVersion());
    details.put("stable_version", a.stableVersion());
    details.put("step", a.step());
    details.put("metric", a.detector());
    details.put("canary", a.canaryValue());
    details.put("stable", a.stableValue());
    details.put("unit", a.unit());
    details.put("action", a.action());
    String stacks = stacksText(a);
    if (!stacks.isEmpty()) {
      details.put("stacks_that_grew", stacks);
    }
    ArrayNode links = root.putArray("links");
    links.addObject().put("href", evidenceUrl(consoleUrl, a)).put("text", "Evidence in Gantry");
    return root;
  }

  /** A Slack incoming-webhook message in blocks, with a plain-text fallback. */
  public static ObjectNode slack(Alert a, boolean resolved, String consoleUrl) {
    ObjectNode root = EventCodec.mapper().createObjectNode();
    String headline = (resolved ? "Resolved: " : ":rotating_light: ") + title(a);
    root.put("text", headline + " — " + values(a));
    ArrayNode blocks = root.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", truncate(headline, 150));
    ObjectNode section = blocks.addObject().put("type", "section");
    section
        .putObject("text")
        .put("type", "mrkdwn")
        .put("text", resolved ? resolvedText(a) : a.summary());
    ObjectNode facts = blocks.addObject().put("type", "section");
    ArrayNode fields = facts.putArray("fields");
    field(fields, "*App*\n" + a.app());
    field(fields, "*Canary*\n" + a.canaryVersion() + " (step " + a.step() + ")");
    field(fields, "*Stable*\n" + a.stableVersion());
    field(fields, "*Metric*\n" + values(a));
    field(fields, "*Action*\n" + a.action());
    String stacks = stacksText(a);
    if (!resolved && !stacks.isEmpty()) {
      blocks
          .addObject()
          .put("type", "section")
          .putObject("text")
          .put("type", "mrkdwn")
          .put("text", truncate("*Goroutine stacks that grew*\n```" + stacks + "```", 3000));
    }
    ObjectNode context = blocks.addObject().put("type", "context");
    context
        .putArray("elements")
        .addObject()
        .put("type", "mrkdwn")
        .put("text", "<" + evidenceUrl(consoleUrl, a) + "|Evidence> · rollout " + a.rolloutId());
    return root;
  }

  private static String resolvedText(Alert a) {
    return a.detector().startsWith(Alert.PAUSED)
        ? "The rollout moved on from its pause."
        : "The canary was rolled back; the stable version serves all traffic.";
  }

  private static void field(ArrayNode fields, String text) {
    fields.addObject().put("type", "mrkdwn").put("text", text);
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}

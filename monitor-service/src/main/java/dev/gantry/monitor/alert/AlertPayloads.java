package dev.gantry.monitor.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.events.EventCodec;
import java.util.Locale;

/**
 * The three wire formats of one alert: what happened, which version, the metric with canary and
 * stable values, the action taken, and a link to the evidence.
 */
public final class AlertPayloads {
  /** Alertmanager's zero time: a firing alert has no end yet. */
  static final String NO_END = "0001-01-01T00:00:00Z";

  private AlertPayloads() {}

  static String title(Alert a) {
    return String.format(
        Locale.ROOT,
        "%s canary %s failed on %s: %s",
        a.app(),
        a.canaryVersion(),
        a.detector(),
        a.action());
  }

  static String values(Alert a) {
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

  static String evidenceUrl(String publicUrl, Alert a) {
    return publicUrl + "/analyses/" + a.rolloutId();
  }

  /** Alertmanager webhook, payload version 4, one alert per incident. */
  public static ObjectNode alertmanager(Alert a, boolean resolved, String publicUrl) {
    ObjectNode root = EventCodec.mapper().createObjectNode();
    String status = resolved ? "resolved" : "firing";
    ObjectNode labels = EventCodec.mapper().createObjectNode();
    labels.put("alertname", "GantryCanaryFailed");
    labels.put("app", a.app());
    labels.put("rollout", a.rolloutId());
    labels.put("detector", a.detector());
    labels.put("version", String.valueOf(a.canaryVersion()));
    labels.put("severity", "critical");
    ObjectNode annotations = EventCodec.mapper().createObjectNode();
    annotations.put("summary", title(a));
    annotations.put("description", a.summary());
    annotations.put("values", values(a));
    annotations.put("action", a.action());
    annotations.put("stable_version", String.valueOf(a.stableVersion()));
    annotations.put("evidence", evidenceUrl(publicUrl, a));
    root.put("version", "4");
    root.put("groupKey", a.dedupKey());
    root.put("truncatedAlerts", 0);
    root.put("status", status);
    root.put("receiver", "gantry");
    root.set("groupLabels", labels.deepCopy().retain("app", "rollout", "detector"));
    root.set("commonLabels", labels.deepCopy());
    root.set("commonAnnotations", annotations.deepCopy());
    root.put("externalURL", publicUrl);
    ArrayNode alerts = root.putArray("alerts");
    ObjectNode alert = alerts.addObject();
    alert.put("status", status);
    alert.set("labels", labels);
    alert.set("annotations", annotations);
    alert.put("startsAt", a.openedAt().toString());
    alert.put("endsAt", resolved && a.resolvedAt() != null ? a.resolvedAt().toString() : NO_END);
    alert.put("generatorURL", evidenceUrl(publicUrl, a));
    alert.put("fingerprint", Integer.toHexString(a.dedupKey().hashCode()));
    return root;
  }

  /** PagerDuty Events API v2: a trigger with details, or a resolve of the same dedup_key. */
  public static ObjectNode pagerduty(
      Alert a, boolean resolved, String routingKey, String publicUrl) {
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
    payload.put("severity", "critical");
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
    ArrayNode links = root.putArray("links");
    links.addObject().put("href", evidenceUrl(publicUrl, a)).put("text", "Evidence in Gantry");
    return root;
  }

  /** A Slack incoming-webhook message in blocks, with a plain-text fallback. */
  public static ObjectNode slack(Alert a, boolean resolved, String publicUrl) {
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
        .put(
            "text",
            resolved
                ? "The canary was rolled back; the stable version serves all traffic."
                : a.summary());
    ObjectNode facts = blocks.addObject().put("type", "section");
    ArrayNode fields = facts.putArray("fields");
    field(fields, "*App*\n" + a.app());
    field(fields, "*Canary*\n" + a.canaryVersion() + " (step " + a.step() + ")");
    field(fields, "*Stable*\n" + a.stableVersion());
    field(fields, "*Metric*\n" + values(a));
    field(fields, "*Action*\n" + a.action());
    ObjectNode context = blocks.addObject().put("type", "context");
    context
        .putArray("elements")
        .addObject()
        .put("type", "mrkdwn")
        .put("text", "<" + evidenceUrl(publicUrl, a) + "|Evidence> · rollout " + a.rolloutId());
    return root;
  }

  private static void field(ArrayNode fields, String text) {
    fields.addObject().put("type", "mrkdwn").put("text", text);
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}

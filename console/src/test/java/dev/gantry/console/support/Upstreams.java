package dev.gantry.console.support;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.console.support.Stub.Call;
import dev.gantry.console.support.Stub.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * rollout-service, monitor-service and build-api as stubs, once per test JVM, with one app {@code
 * shop}, one rollout whose canary leaked goroutines ({@link #ROLLOUT}) and one build ({@link
 * #BUILD}). Anything else is 404, as the real services answer.
 */
public final class Upstreams {
  public static final String APP = "shop";
  public static final String ROLLOUT = "8f0c6a2e-3b1d-4c55-9a77-0e1f2a3b4c5d";
  public static final String BUILD = "4b1c0d3e-1111-4222-8333-944455556666";
  public static final String PROFILE = "77";
  public static final int SAMPLES = 36;
  public static final String LEAK_FRAME = "main.leak.func1";
  public static final String TOP_FUNCTION = "main.busyLoop";

  /** Samples the canary has beyond {@link #SAMPLES}: a test adds one to show a live update. */
  public static final java.util.concurrent.atomic.AtomicInteger EXTRA_CANARY_SAMPLES =
      new java.util.concurrent.atomic.AtomicInteger();

  static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  private static final JsonNodeFactory J = JsonNodeFactory.instance;

  public static final Stub ROLLOUTS = Stub.start("rollout-service", Upstreams::rollout);
  public static final Stub MONITOR = Stub.start("monitor-service", Upstreams::monitor);
  public static final Stub BUILDS = Stub.start("build-api", Upstreams::builds);

  private Upstreams() {}

  static Reply rollout(Call c) {
    String p = c.path();
    if (c.method().equals("GET") && p.equals("/apps")) {
      return Reply.json(200, J.arrayNode().add(app()).toString());
    }
    if (c.method().equals("GET") && p.equals("/apps/" + APP)) {
      return Reply.json(200, app().toString());
    }
    if (c.method().equals("GET") && p.startsWith("/rollouts?app=" + APP)) {
      ObjectNode r = rolloutJson("ROLLED_BACK");
      r.remove("history");
      return Reply.json(200, J.arrayNode().add(r).toString());
    }
    if (c.method().equals("GET") && p.equals("/rollouts/" + ROLLOUT)) {
      return Reply.json(200, rolloutJson("ROLLED_BACK").toString());
    }
    if (c.method().equals("POST") && p.startsWith("/rollouts/" + ROLLOUT + "/")) {
      String action = p.substring(p.lastIndexOf('/') + 1);
      String phase =
          switch (action) {
            case "abort" -> "ABORTED";
            case "pause" -> "PAUSED";
            default -> "PROGRESSING";
          };
      return Reply.json(200, rolloutJson(phase).toString());
    }
    if (c.method().equals("POST") && p.equals("/apps/" + APP + "/rollback")) {
      return Reply.json(200, rolloutJson("ROLLED_BACK").toString());
    }
    return notFound();
  }

  static Reply monitor(Call c) {
    String p = c.path();
    if (p.equals("/analyses/" + ROLLOUT)) {
      return Reply.json(200, analysis().toString());
    }
    if (p.startsWith("/analyses?app=" + APP)) {
      ObjectNode s = J.objectNode().put("rolloutId", ROLLOUT).put("app", APP).put("step", 0);
      s.put("weight", 5).put("canaryVersion", "v1.1.0").put("stableVersion", "v1.0.0");
      s.put("state", "JUDGED").put("verdict", "FAIL").put("startedAt", T0.toString());
      return Reply.json(200, J.arrayNode().add(s).toString());
    }
    if (p.equals("/profiles/" + PROFILE)) {
      return new Reply(200, "application/octet-stream", new byte[] {0x1f, (byte) 0x8b, 8, 0});
    }
    if (p.equals("/alerts")) {
      ObjectNode alert = J.objectNode().put("id", "a1").put("app", APP).put("rolloutId", ROLLOUT);
      alert.put("step", 0).put("detector", "goroutines").put("severity", "critical");
      alert.put("summary", "goroutines grew on canary").put("action", "rollback requested");
      alert.put("state", "RESOLVED").put("openedAt", T0.toString());
      ArrayNode deliveries = J.arrayNode();
      deliveries.add(delivery("alertmanager", "trigger", 1, 200, "delivered"));
      deliveries.add(delivery("webhook", "trigger", 1, 500, "failed"));
      deliveries.add(delivery("webhook", "trigger", 2, 200, "delivered"));
      ObjectNode view = J.objectNode();
      view.set("alert", alert);
      view.set("deliveries", deliveries);
      return Reply.json(200, J.arrayNode().add(view).toString());
    }
    return notFound();
  }

  static Reply builds(Call c) {
    String p = c.path();
    if (p.startsWith("/builds?")) {
      return Reply.json(200, J.objectNode().set("items", J.arrayNode().add(build())).toString());
    }
    if (p.equals("/builds/" + BUILD)) {
      return Reply.json(200, build().toString());
    }
    if (p.equals("/builds/" + BUILD + "/log/stream")) {
      // three chunks ending at byte offsets 10, 20 and 30; Last-Event-ID resumes after one
      long from = c.lastEventId() == null ? 0 : Long.parseLong(c.lastEventId());
      StringBuilder sse = new StringBuilder();
      for (int end = 10; end <= 30; end += 10) {
        if (end > from) {
          sse.append("id:")
              .append(end)
              .append("\ndata: line ending at ")
              .append(end)
              .append("\n\n");
        }
      }
      sse.append("event:end\nid:30\ndata: SUCCEEDED\n\n");
      return new Reply(200, "text/event-stream", sse.toString().getBytes(StandardCharsets.UTF_8));
    }
    return notFound();
  }

  private static Reply notFound() {
    return new Reply(
        404,
        "application/problem+json",
        "{\"title\":\"Not Found\",\"status\":404}".getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode app() {
    ObjectNode a = J.objectNode().put("name", APP).put("repo", "github.com/acme/shop");
    a.set("current", J.objectNode().put("version", "v1.0.0").put("buildId", BUILD));
    a.set("previous", J.objectNode().put("version", "v0.9.0"));
    a.set("activeRollout", J.nullNode());
    return a;
  }

  private static ObjectNode rolloutJson(String phase) {
    ObjectNode r = J.objectNode().put("id", ROLLOUT).put("app", APP).put("phase", phase);
    r.set("versions", J.objectNode().put("canary", "v1.1.0").put("stable", "v1.0.0"));
    r.put("buildId", BUILD).put("step", 0).put("canaryWeight", 0).put("stableWeight", 100);
    ArrayNode steps = J.arrayNode();
    steps.add(J.objectNode().put("weight", 5).set("gate", J.objectNode().put("type", "analysis")));
    steps.add(J.objectNode().put("weight", 100).set("gate", J.objectNode().put("type", "manual")));
    r.set("spec", J.objectNode().set("steps", steps));
    ArrayNode history = J.arrayNode();
    history.add(transition(null, "PROGRESSING", "RolloutStarted", 0, null, null));
    history.add(transition("PROGRESSING", "PROGRESSING", "StepStarted", 1, 0, 5));
    history.add(transition("PROGRESSING", "ROLLED_BACK", "AnalysisFailed", 200, null, null));
    r.set("history", history);
    return r;
  }

  private static ObjectNode transition(
      String from, String to, String reason, int second, Integer step, Integer weight) {
    ObjectNode t = J.objectNode().put("from", from).put("to", to).put("reason", reason);
    t.put("at", T0.plusSeconds(second).toString());
    if (step != null) {
      t.put("step", step).put("weight", weight);
    }
    return t;
  }

  /** 36 samples per track, 5 s apart: the canary gains 10 goroutines a sample, stable stays put. */
  private static ObjectNode analysis() {
    ObjectNode step = J.objectNode().put("step", 0).put("weight", 5);
    step.put("canaryVersion", "v1.1.0").put("stableVersion", "v1.0.0");
    step.put("state", "JUDGED").put("startedAt", T0.toString());
    step.set("canary", J.objectNode().set("points", points(true)));
    step.set("stable", J.objectNode().set("points", points(false)));
    ObjectNode cpu = J.objectNode().put("track", "canary").put("at", T0.plusSeconds(60).toString());
    cpu.put("summary", "total 5s").put("link", "/profiles/" + PROFILE);
    cpu.set(
        "top",
        J.arrayNode()
            .add(J.objectNode().put("name", TOP_FUNCTION).put("flat", 0.42).put("cum", 0.6)));
    step.set("cpuProfiles", J.arrayNode().add(cpu));

    ObjectNode stack = J.objectNode().put("frames", LEAK_FRAME + "\nruntime.goexit");
    stack.put("canary", 360).put("stable", 0);
    ObjectNode evidence = J.objectNode().put("check", "goroutines").put("verdict", "FAIL");
    evidence.put("canary", 372.0).put("stable", 12.0).put("unit", "count");
    evidence.put("summary", "goroutines grew on canary, flat on stable");
    evidence.put("statistic", "mann-kendall").put("pValue", 0.0004).put("samples", SAMPLES);
    evidence.set("stacks", J.arrayNode().add(stack));
    ObjectNode event = J.objectNode().put("verdict", "FAIL");
    event.set("evidence", J.arrayNode().add(evidence));
    ObjectNode issued = J.objectNode().put("id", "v1").put("step", 0);
    issued.put("type", "gantry.analysis.verdict.v1").put("verdict", "FAIL");
    issued.put("issuedAt", T0.plusSeconds(5 * SAMPLES).toString());
    issued.set("event", event);

    ObjectNode a = J.objectNode().put("rolloutId", ROLLOUT).put("app", APP);
    a.set("steps", J.arrayNode().add(step));
    a.set("verdicts", J.arrayNode().add(issued));
    return a;
  }

  private static ArrayNode points(boolean canary) {
    ArrayNode points = J.arrayNode();
    int samples = SAMPLES + (canary ? EXTRA_CANARY_SAMPLES.get() : 0);
    for (int i = 1; i <= samples; i++) {
      ObjectNode p = J.objectNode().put("seq", i).put("at", T0.plusSeconds(5L * i).toString());
      p.put("goroutines", canary ? 12 + 10 * i : 12);
      p.put("heapInuseBytes", 4_000_000 + (canary ? 50_000 * i : 0));
      p.put("requests", 100.0 * i).put("errors", canary ? i : 0);
      p.put("latencySum", 0.5 * i).put("latencyCount", 100.0 * i);
      p.put("hostLoadPerCore", 0.3).put("cpuSeconds", 0.2 * i);
      if (i == samples) {
        p.put("profile", "/profiles/" + PROFILE);
      }
      points.add(p);
    }
    return points;
  }

  private static ObjectNode build() {
    ObjectNode b = J.objectNode().put("id", BUILD).put("repo", "github.com/acme/shop");
    b.put("app", APP).put("status", "SUCCEEDED").put("version", "v1.1.0");
    b.put("commit", "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5").put("refName", "main");
    b.set("stageMillis", J.objectNode().put("fetch", 412).put("build", 2380));
    b.set(
        "artifacts",
        J.arrayNode()
            .add(
                J.objectNode()
                    .put("path", "artifacts/shop/linux_amd64/shop")
                    .put("sha256", "ab".repeat(32))
                    .put("size", 7340032)
                    .put("binary", "shop")));
    ObjectNode d = J.objectNode().put("rolloutId", ROLLOUT).put("app", APP);
    d.put("phase", "ROLLED_BACK").put("live", false).put("weight", 0).put("step", 0);
    b.set("deployment", d);
    return b;
  }

  private static ObjectNode delivery(
      String channel, String action, int attempt, int status, String outcome) {
    ObjectNode d = J.objectNode().put("channel", channel).put("action", action);
    d.put("attempt", attempt).put("statusCode", status).put("outcome", outcome);
    d.put("at", T0.plusSeconds(attempt).toString());
    return d;
  }
}

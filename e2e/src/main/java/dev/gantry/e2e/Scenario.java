package dev.gantry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.edge.ConsoleLinks;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The mission as a user first meets it, against a running Gantry and through its public APIs only:
 * a repository and an app registered, a signed push, the build, the first deploy, a healthy release
 * walked through every weight step on the monitor's verdicts, then a goroutine-leaking release
 * caught at its first step, rolled back, and paged with its evidence. {@code ./gantry demo} prints
 * it; the end-to-end test runs it and then checks every service's state.
 */
public final class Scenario {
  public static final String LEAK_FRAME = "main.(*work).waitForever";
  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * @param example the sample Go service's folder ({@code examples/hello})
   * @param workDir where the developer's repository and the forge's copy are created
   * @param stepDeadline how long a step waits for a verdict before it pauses
   * @param stageTimeout how long any one stage may take before the scenario fails
   * @param faults where a test breaks a part of the pipeline while the scenario runs
   */
  public record Settings(
      Path example,
      Path workDir,
      String app,
      int proxyPort,
      int requestsPerSecond,
      Duration stepDeadline,
      Duration stageTimeout,
      Faults faults) {}

  /**
   * The moments at which a test kills or restarts a part of the pipeline; each is called once, on
   * the scenario's thread, and the scenario goes on when it returns with what it did, for the
   * timeline (empty: nothing). The demo breaks nothing.
   */
  public interface Faults {
    Faults NONE = new Faults() {};

    /** The first build (a cold cache: it compiles the standard library) runs on a worker. */
    default String firstBuildRunning(String buildId) {
      return "";
    }

    /** The healthy release is pushed; its webhook is delivered next. */
    default String beforeHealthyWebhook() {
      return "";
    }

    /** The healthy release enters step {@code step} (its index), while traffic flows. */
    default String healthyStep(int step) {
      return "";
    }

    /** The leaking release's rollout exists, before its first step is judged. */
    default String badRolloutStarted(String rolloutId) {
      return "";
    }
  }

  /**
   * @param webhookAnswers the HTTP status of each delivery of the push webhook, the refused ones
   *     first: a forge delivers again what was not accepted
   */
  public record Release(
      String buildId,
      String version,
      String commit,
      Instant webhookAt,
      List<Integer> webhookAnswers) {}

  /** What happened, for the test's assertions and the summary. */
  public record Report(
      String repoKey,
      Release first,
      Release healthy,
      Release bad,
      String healthyRolloutId,
      String badRolloutId,
      Map<String, Integer> afterRollback,
      JsonNode alert,
      List<String> grownStacks,
      Map<String, Duration> timings) {}

  /** A stage that did not happen: the message says which and what was seen instead. */
  public static final class StageFailed extends RuntimeException {
    StageFailed(String message) {
      super(message);
    }
  }

  private final Endpoints ep;
  private final Settings s;
  private final Timeline t;
  private final Api operator;
  private final Api viewer;
  // the sample's repository and its webhook secret, once run() has registered them
  private SourceRepo repo;
  private String secret;

  public Scenario(Endpoints endpoints, Settings settings, java.io.PrintStream out) {
    this.ep = endpoints;
    this.s = settings;
    this.t = new Timeline(out);
    this.operator = new Api(endpoints.operatorToken());
    this.viewer = new Api(endpoints.viewerToken());
  }

  public Report run() {
    if (ep.alertReceiverPort() == 0) {
      return run(null);
    }
    try (AlertInbox inbox = AlertInbox.listen(ep.alertReceiverPort())) {
      return run(inbox);
    }
  }

  private Report run(AlertInbox inbox) {
    secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    if (ep.hasConsole()) {
      t.stage("The console: watch it all happen there");
      t.say("log in with one click (once, within 10 minutes): %s", loginLink());
    }
    t.stage("Registering the sample service " + s.app());
    repo = SourceRepo.create(s.example(), s.workDir().resolve("repo"));
    JsonNode registered =
        operator.post(
            ep.buildApi() + "/repos",
            Map.of(
                "cloneUrl", repo.cloneUrl(),
                "provider", "github",
                "webhookSecret", secret,
                "branches", List.of("main"),
                "app", s.app()),
            201);
    String repoKey = registered.path("repo").asText();
    t.say("build-api: repository %s, webhook %s", repoKey, registered.path("webhookPath").asText());
    operator.post(ep.rollout() + "/apps", appPolicy(repoKey), 201);
    t.say(
        "rollout-service: app %s, local router on 127.0.0.1:%d, steps 5/25/50/100 %% on verdicts",
        s.app(), s.proxyPort());

    t.stage("First release: straight to 100 % once healthy");
    Release first =
        pushAndBuild(
            repo,
            secret,
            new Change("none", "hello", "hello: first release", "cold"),
            () -> "",
            s.faults()::firstBuildRunning);
    Instant live = awaitServing(first);
    t.say("%s serves 100 %% on http://127.0.0.1:%d/", first.version(), s.proxyPort());
    t.measure("webhook → first release at 100 %", first.webhookAt(), live);

    try (Traffic traffic = Traffic.start(s.proxyPort(), s.requestsPerSecond())) {
      t.say("steady traffic: %d requests/s through the app's proxy", s.requestsPerSecond());

      t.stage("Healthy release: every step on the monitor's verdicts");
      Release healthy =
          pushAndBuild(
              repo,
              secret,
              new Change("none", "hi", "hello: greet with hi", "warm"),
              s.faults()::beforeHealthyWebhook,
              build -> "");
      String healthyRollout = awaitRolloutOf(healthy);
      JsonNode promoted =
          follow(healthyRollout, "PROMOTED", step -> fault(s.faults().healthyStep(step)));
      Instant atFull = Instant.parse(promoted.path("updatedAt").asText());
      t.measure("webhook → healthy release at 100 %", healthy.webhookAt(), atFull);
      t.say("%s serves 100 %%; answered so far: %s", healthy.version(), traffic.byStatus());

      t.stage("Bad release: leaks goroutines on every request");
      Release bad =
          pushAndBuild(
              repo,
              secret,
              new Change("goroutine-leak", "hi", "hello: wait for a reply (leaks)", "warm"),
              () -> "",
              build -> "");
      String badRollout = awaitRolloutOf(bad);
      fault(s.faults().badRolloutStarted(badRollout));
      JsonNode firstStep = awaitStepStarted(badRollout);
      JsonNode rolledBack = follow(badRollout, "ROLLED_BACK", step -> {});
      Instant rollbackAt = Instant.parse(rolledBack.path("updatedAt").asText());
      JsonNode fail = awaitFailVerdict(badRollout);
      Instant failAt = Instant.parse(fail.path("issuedAt").asText());
      t.measure(
          "canary serving → FAIL verdict (goroutine leak)",
          Instant.parse(firstStep.path("stepStartedAt").asText()),
          failAt);
      t.measure("FAIL verdict → stable at 100 %", failAt, rollbackAt);
      Map<String, Integer> after = traffic.sample(50);
      t.say("after the rollback, 50 requests were answered by %s", after);
      if (!after.equals(Map.of(healthy.version(), 50))) {
        throw new StageFailed(
            "after the rollback the stable " + healthy.version() + " should answer everything");
      }

      t.stage("On-call is paged with the evidence");
      JsonNode alert = null;
      if (inbox == null) {
        t.say("pages go to the channels set for monitor-service, not to the demo's receiver");
      } else {
        alert = awaitAlert(inbox, badRollout);
        JsonNode annotations = alert.path("alerts").path(0).path("annotations");
        t.say(
            "alert received on 127.0.0.1:%d: %s",
            inbox.port(), annotations.path("summary").asText());
        t.say("  %s", annotations.path("description").asText());
        t.say("  values: %s", annotations.path("values").asText());
        t.say("  action: %s", annotations.path("action").asText());
        t.say("  evidence: %s", annotations.path("evidence").asText());
        t.measure("FAIL verdict → page received", failAt, inboxTime(inbox, badRollout));
      }
      List<String> stacks = grownStacks(fail);
      for (String stack : stacks) {
        t.say("  stack that grew: %s", stack.replace("\n", " ← "));
      }
      printTrail(bad);
      t.printTimings();
      printWhereToLook(first, healthyRollout, badRollout);
      return new Report(
          repoKey,
          first,
          healthy,
          bad,
          healthyRollout,
          badRollout,
          after,
          alert,
          stacks,
          t.timings());
    }
  }

  /**
   * After {@link #run()}: one more healthy release, pushed and built (a warm cache: seconds), and
   * the id of its rollout once it has started, for a test that acts on a rollout while it runs.
   */
  public Started startAnotherHealthyRollout() {
    if (repo == null) {
      throw new IllegalStateException("the scenario has not run: no app to release");
    }
    t.stage("One more healthy release, to act on while it rolls out");
    Release next =
        pushAndBuild(
            repo,
            secret,
            new Change("none", "hey", "hello: greet with hey", "warm"),
            () -> "",
            build -> "");
    return new Started(next, awaitRolloutOf(next));
  }

  /** A release and its rollout, started. */
  public record Started(Release release, String rolloutId) {}

  private Map<String, Object> appPolicy(String repoKey) {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int weight : new int[] {5, 25, 50, 100}) {
      steps.add(Map.of("weight", weight, "gate", "analysis"));
    }
    return Map.of(
        "name",
        s.app(),
        "repo",
        repoKey,
        "branch",
        "main",
        "router",
        "local",
        "listenPort",
        s.proxyPort(),
        "steps",
        steps,
        "stepDeadlineSeconds",
        s.stepDeadline().toSeconds());
  }

  /** A commit of the sample: its fault, its greeting, its message; the build cache expected. */
  private record Change(String fault, String greeting, String message, String cache) {}

  /**
   * Commits, pushes, delivers the signed webhook (again, as a forge does, while it is refused), and
   * waits until the build has succeeded.
   */
  private Release pushAndBuild(
      SourceRepo repo,
      String secret,
      Change change,
      Supplier<String> beforeWebhook,
      java.util.function.Function<String, String> whileRunning) {
    SourceRepo.Commit commit =
        repo.commitAndPush(change.fault(), change.greeting(), change.message());
    GitHubPush.Delivery delivery = GitHubPush.of(repo.cloneUrl(), s.app(), commit, secret);
    fault(beforeWebhook.get());
    Instant webhookAt = Instant.now();
    List<Integer> answers = new ArrayList<>();
    Api.Answer answer = deliverUntilAccepted(delivery, answers);
    if (answer.status() != 202 || !"queued".equals(answer.body().path("outcome").asText())) {
      throw new StageFailed(
          "the push webhook was answered " + answer.status() + ": " + answer.body());
    }
    String buildId = answer.body().path("build").path("id").asText();
    t.say(
        "pushed %s \"%s\": webhook 202, build %s queued",
        commit.shortSha(), change.message(), buildId);
    Api.Answer again =
        operator.postRaw(ep.buildApi() + "/webhooks/github", delivery.body(), delivery.headers());
    if (again.status() != 200
        || !"duplicate".equals(again.body().path("outcome").asText())
        || !buildId.equals(again.body().path("build").path("id").asText())) {
      throw new StageFailed(
          "the same delivery sent again should be a duplicate of build "
              + buildId
              + ", was answered "
              + again.status()
              + ": "
              + again.body());
    }
    t.say("the same delivery again: 200 duplicate of build %s, nothing new queued", buildId);
    JsonNode running =
        await(
            "build " + buildId + " to start",
            () -> {
              JsonNode b = viewer.get(ep.buildApi() + "/builds/" + buildId);
              failIfBuildEnded(b, "RUNNING");
              return b.hasNonNull("startedAt") ? Optional.of(b) : Optional.empty();
            });
    Instant startedAt = Instant.parse(running.path("startedAt").asText());
    t.measure("webhook → build started (" + change.cache() + ")", webhookAt, startedAt);
    t.say("build started on %s", running.path("worker").asText("a worker"));
    fault(whileRunning.apply(buildId));
    JsonNode done =
        await(
            "build " + buildId + " to succeed",
            () -> {
              JsonNode b = viewer.get(ep.buildApi() + "/builds/" + buildId);
              failIfBuildEnded(b, "SUCCEEDED");
              return "SUCCEEDED".equals(b.path("status").asText())
                  ? Optional.of(b)
                  : Optional.empty();
            });
    Duration took =
        t.measure(
            "build time (" + change.cache() + ")",
            startedAt,
            Instant.parse(done.path("finishedAt").asText()));
    JsonNode artifact = done.path("artifacts").path(0);
    t.say(
        "build SUCCEEDED in %s: %s (sha256 %s…, %d bytes)",
        Timeline.format(took),
        artifact.path("path").asText(),
        artifact
            .path("sha256")
            .asText()
            .substring(0, Math.min(12, artifact.path("sha256").asText().length())),
        artifact.path("size").asLong());
    return new Release(buildId, done.path("version").asText(), commit.sha(), webhookAt, answers);
  }

  /**
   * Delivers the webhook until it is answered with anything but a server error or no answer at all,
   * every two seconds until the stage's deadline, as forges redeliver: the same delivery id, the
   * same signed bytes.
   */
  private Api.Answer deliverUntilAccepted(GitHubPush.Delivery delivery, List<Integer> answers) {
    Instant deadline = Instant.now().plus(s.stageTimeout());
    while (true) {
      String refused;
      try {
        Api.Answer answer =
            operator.postRaw(
                ep.buildApi() + "/webhooks/github", delivery.body(), delivery.headers());
        answers.add(answer.status());
        if (answer.status() < 500) {
          return answer;
        }
        refused =
            answer.status() + " " + answer.body().path("detail").asText(answer.body().toString());
      } catch (IllegalStateException e) {
        answers.add(0);
        refused = "no answer: " + e.getMessage();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new StageFailed("the push webhook was refused until the deadline: " + refused);
      }
      t.say("webhook refused (%s): delivering it again in 2 s, as a forge does", refused);
      sleep(Duration.ofSeconds(2));
    }
  }

  private void fault(String done) {
    if (!done.isEmpty()) {
      t.say("fault: %s", done);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StageFailed("interrupted");
    }
  }

  private static void failIfBuildEnded(JsonNode build, String awaited) {
    String status = build.path("status").asText();
    if (Set.of("FAILED", "CANCELLED", "SKIPPED").contains(status)) {
      throw new StageFailed(
          "build "
              + build.path("id").asText()
              + " ended "
              + status
              + " instead of "
              + awaited
              + ": "
              + build.path("error"));
    }
  }

  /** The first deploy: rollout-service serves it through the proxy once its health check passes. */
  private Instant awaitServing(Release release) {
    return await(
        release.version() + " to serve through the proxy",
        () -> {
          JsonNode app = viewer.get(ep.rollout() + "/apps/" + s.app());
          boolean current = release.version().equals(app.path("current").path("version").asText());
          return current && release.version().equals(Traffic.askOnce(s.proxyPort()))
              ? Optional.of(Instant.now())
              : Optional.empty();
        });
  }

  private String awaitRolloutOf(Release release) {
    String id =
        await(
            "a rollout of " + release.version(),
            () -> {
              for (JsonNode r : viewer.get(ep.rollout() + "/rollouts?app=" + s.app())) {
                if (release.buildId().equals(r.path("buildId").asText())) {
                  return Optional.of(r.path("id").asText());
                }
              }
              return Optional.empty();
            });
    t.say("rollout %s: canary %s", id, release.version());
    if (ep.hasConsole()) {
      t.say("  watch it: %s", ConsoleLinks.rollout(ep.console(), id));
    }
    return id;
  }

  /**
   * A one-step login link for the operator: the console makes it for the operator's token, which
   * goes in a header, so only the link's single-use code is ever printed.
   */
  private String loginLink() {
    JsonNode link = operator.post(ep.console() + "/api/login-links", Map.of(), 201);
    String url = link.path("url").asText();
    if (!url.startsWith(ep.console() + "/login#code=")) {
      throw new StageFailed("the console answered no login link: " + link);
    }
    return url;
  }

  private JsonNode awaitStepStarted(String rolloutId) {
    return await(
        "rollout " + rolloutId + " to start its first step",
        () -> {
          JsonNode r = viewer.get(ep.rollout() + "/rollouts/" + rolloutId);
          return r.path("step").asInt(-1) >= 0 && r.hasNonNull("stepStartedAt")
              ? Optional.of(r)
              : Optional.empty();
        });
  }

  /** Prints every step and verdict of a rollout until it ends, and fails if it ends otherwise. */
  private JsonNode follow(
      String rolloutId, String expectedEnd, java.util.function.IntConsumer onStep) {
    Set<String> seenVerdicts = new HashSet<>();
    Set<Integer> seenSteps = new HashSet<>();
    String[] last = {""};
    return await(
        "rollout " + rolloutId + " to end " + expectedEnd,
        () -> {
          JsonNode r = viewer.get(ep.rollout() + "/rollouts/" + rolloutId);
          String phase = r.path("phase").asText();
          if (phase.equals("PROGRESSING") && seenSteps.add(r.path("step").asInt())) {
            onStep.accept(r.path("step").asInt());
          }
          String now = phase + "/" + r.path("step").asInt() + "/" + r.path("canaryWeight").asInt();
          printVerdicts(rolloutId, seenVerdicts);
          if (!now.equals(last[0])) {
            last[0] = now;
            t.say(
                "rollout %s: canary at %d %%, stable at %d %% (step %d)",
                phase,
                r.path("canaryWeight").asInt(),
                r.path("stableWeight").asInt(),
                r.path("step").asInt());
          }
          if (Set.of("PROMOTED", "ROLLED_BACK", "ABORTED").contains(phase)) {
            if (!phase.equals(expectedEnd)) {
              throw new StageFailed(
                  "rollout "
                      + rolloutId
                      + " ended "
                      + phase
                      + " instead of "
                      + expectedEnd
                      + ": "
                      + r.path("conditions"));
            }
            printVerdicts(rolloutId, seenVerdicts);
            return Optional.of(r);
          }
          if (phase.equals("PAUSED")) {
            throw new StageFailed("rollout " + rolloutId + " paused: " + r.path("conditions"));
          }
          return Optional.empty();
        });
  }

  private void printVerdicts(String rolloutId, Set<String> seen) {
    JsonNode analyses;
    try {
      analyses = viewer.get(ep.monitor() + "/analyses/" + rolloutId);
    } catch (Api.UnexpectedStatus e) {
      return; // the monitor has not seen the rollout yet
    }
    for (JsonNode v : analyses.path("verdicts")) {
      if (seen.add(v.path("id").asText())) {
        boolean rollback = v.path("type").asText().contains("rollback");
        t.say(
            "monitor: step %d %s%s",
            v.path("step").asInt(),
            rollback ? "ROLLBACK REQUESTED" : v.path("verdict").asText(),
            v.hasNonNull("reason") ? " — " + v.path("reason").asText() : "");
      }
    }
  }

  private JsonNode awaitFailVerdict(String rolloutId) {
    return await(
        "a FAIL verdict for " + rolloutId,
        () -> {
          for (JsonNode v : viewer.get(ep.monitor() + "/analyses/" + rolloutId).path("verdicts")) {
            if ("FAIL".equals(v.path("verdict").asText())
                && !v.path("type").asText().contains("rollback")) {
              return Optional.of(v.path("event").isMissingNode() ? v : v.path("event").deepCopy());
            }
          }
          return Optional.empty();
        });
  }

  private JsonNode awaitAlert(AlertInbox inbox, String rolloutId) {
    return await(
        "an alert for rollout " + rolloutId + " at 127.0.0.1:" + inbox.port(),
        () ->
            inbox.received().stream()
                .map(AlertInbox.Received::payload)
                .filter(p -> "firing".equals(p.path("status").asText()))
                .filter(p -> rolloutId.equals(p.path("commonLabels").path("rollout").asText()))
                .findFirst());
  }

  private static Instant inboxTime(AlertInbox inbox, String rolloutId) {
    return inbox.received().stream()
        .filter(r -> rolloutId.equals(r.payload().path("commonLabels").path("rollout").asText()))
        .map(AlertInbox.Received::at)
        .findFirst()
        .orElseThrow();
  }

  private static List<String> grownStacks(JsonNode verdict) {
    List<String> stacks = new ArrayList<>();
    for (JsonNode e : verdict.path("evidence")) {
      if ("FAIL".equals(e.path("verdict").asText())) {
        for (JsonNode st : e.path("stacks")) {
          if (st.path("frames").asText().isBlank()
              || st.path("canary").asLong() <= st.path("stable").asLong()) {
            continue; // listed for comparison, but not what grew
          }
          stacks.add(
              st.path("frames").asText()
                  + " (canary "
                  + st.path("canary").asLong()
                  + ", stable "
                  + st.path("stable").asLong()
                  + ")");
        }
      }
    }
    return stacks;
  }

  /** What a developer sees asking build-api about the bad commit: where it went and why. */
  private void printTrail(Release bad) {
    t.stage("Is my commit live? GET /builds/" + bad.buildId());
    JsonNode d =
        await(
            "build-api to show the rollback of " + bad.buildId(),
            () -> {
              JsonNode dep =
                  viewer.get(ep.buildApi() + "/builds/" + bad.buildId()).path("deployment");
              return "ROLLED_BACK".equals(dep.path("phase").asText())
                  ? Optional.of(dep)
                  : Optional.empty();
            });
    t.say(
        "deployment: %s, live %s, weight %d %%, verdict %s at step %d: %s",
        d.path("phase").asText(),
        d.path("live").asBoolean(),
        d.path("weight").asInt(),
        d.path("verdict").path("verdict").asText(),
        d.path("verdict").path("step").asInt(),
        d.path("verdict").path("summary").asText());
  }

  private void printWhereToLook(Release first, String healthyRollout, String badRollout) {
    t.stage("Where to look");
    t.say("the app:              curl http://127.0.0.1:%d/", s.proxyPort());
    t.say("a build's trail:      GET %s/builds/%s", ep.buildApi(), first.buildId());
    t.say("the app's rollouts:   GET %s/apps/%s", ep.rollout(), s.app());
    t.say("the rolled-back one:  GET %s/rollouts/%s", ep.rollout(), badRollout);
    t.say("its analysis:         GET %s/analyses/%s", ep.monitor(), badRollout);
    t.say("the promoted one:     GET %s/rollouts/%s", ep.rollout(), healthyRollout);
    t.say("pages sent:           GET %s/alerts?app=%s", ep.monitor(), s.app());
    t.say("(Authorization: Bearer $GANTRY_VIEWER_TOKEN, from var/local.env)");
    if (ep.hasConsole()) {
      t.say("in the console:       %s", ConsoleLinks.app(ep.console(), s.app()));
      t.say("  the rolled-back one: %s", ConsoleLinks.rollout(ep.console(), badRollout));
      t.say("  the promoted one:    %s", ConsoleLinks.rollout(ep.console(), healthyRollout));
      t.say("  a build:             %s", ConsoleLinks.build(ep.console(), first.buildId()));
    }
  }

  private <T> T await(String what, Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(s.stageTimeout());
    RuntimeException lastError = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        Optional<T> found = probe.get();
        if (found.isPresent()) {
          return found.get();
        }
        lastError = null;
      } catch (StageFailed e) {
        throw e;
      } catch (RuntimeException e) {
        lastError = e; // a service restarting or not ready yet: ask again until the deadline
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StageFailed("interrupted while waiting for " + what);
      }
    }
    throw new StageFailed(
        "waited "
            + Timeline.format(s.stageTimeout())
            + " for "
            + what
            + (lastError == null ? "" : "; last error: " + lastError.getMessage()));
  }
}

package dev.gantry.monitor.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.events.EventCodec;
import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.Verdict;
import dev.gantry.monitor.alert.AlertStore.Pending;
import dev.gantry.monitor.persistence.Jdbc;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Pages on-call when a canary fails and tells them when the rollback is done. One incident per
 * rollout and detector. What is to be delivered is stored with the incident ({@code alert_outbox})
 * and sent from there, so a page survives a restart of the monitor; every attempt is recorded; 5xx,
 * 429 and network errors are retried with exponential back-off (honouring Retry-After). Channel
 * URLs and keys are secrets and appear in no log line and no record.
 */
@ApplicationScoped
public class Alerter {
  private static final Logger LOG = Logger.getLogger(Alerter.class);
  static final String ALERTMANAGER = "alertmanager";
  static final String WEBHOOK = "webhook";

  /** Alertmanager's API for alerts, under its base URL. */
  static final String ALERTMANAGER_API = "/api/v2/alerts";

  static final String PAGERDUTY = "pagerduty";
  static final String SLACK = "slack";
  private static final int BATCH = 16;

  @Inject AlertConfig config;
  @Inject AlertStore store;

  private HttpClient http;
  private volatile ScheduledExecutorService poller;
  private ExecutorService senders;
  private final AtomicBoolean storeAway = new AtomicBoolean();

  void start(@Observes StartupEvent e) {
    http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    senders = Executors.newFixedThreadPool(2, daemon("monitor-alerts"));
    poller = Executors.newSingleThreadScheduledExecutor(daemon("monitor-alerts-due"));
    // deliveries a previous process left (stopped, crashed mid-attempt) come due here too
    long every = config.pollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::sendDue, 0, every, TimeUnit.MILLISECONDS);
  }

  void shutdown(@Observes ShutdownEvent e) {
    if (poller != null) {
      poller.shutdownNow();
      senders.shutdownNow();
    }
  }

  /**
   * Opens an incident for each failed check of a step, in the caller's transaction (the one that
   * stores the verdict), unless the rollout already has one for that detector; its trigger is
   * queued for every channel of the app. Call {@link #wake} once the transaction is committed.
   */
  public void failed(
      Connection c,
      String app,
      String rolloutId,
      int step,
      String canaryVersion,
      String stableVersion,
      List<Evidence> evidence,
      String action)
      throws SQLException {
    for (Evidence e : evidence) {
      if (e.verdict() != Verdict.FAIL) {
        continue;
      }
      Alert a =
          new Alert(
              UUID.randomUUID().toString(),
              app,
              rolloutId,
              step,
              e.check(),
              Alert.dedupKey(app, rolloutId, e.check()),
              canaryVersion,
              stableVersion,
              e.summary(),
              e.canary(),
              e.stable(),
              e.unit(),
              action,
              Alert.OPEN,
              Instant.now(),
              null,
              null,
              Alert.CRITICAL,
              grownStacks(evidence));
      store.open(c, a, channels(app));
    }
  }

  /** The stacks that grew, from the goroutine check first, then any other check that has some. */
  private static List<Evidence.GrownStack> grownStacks(List<Evidence> evidence) {
    return evidence.stream()
        .filter(e -> e.stacks() != null && !e.stacks().isEmpty())
        .sorted(
            (x, y) ->
                Boolean.compare(!"goroutines".equals(x.check()), !"goroutines".equals(y.check())))
        .findFirst()
        .map(Evidence::stacks)
        .orElse(List.of());
  }

  /**
   * Opens an incident for something rollout-service did or stopped at, that no FAIL verdict paged:
   * an automatic rollback ({@code Alert.ROLLBACK}, critical) or a pause that waits for a person
   * ({@code Alert.PAUSED}, warning). Idempotent: one incident per rollout and kind.
   */
  public void rolloutIncident(
      String kind,
      String reason,
      String app,
      String rolloutId,
      int step,
      String canaryVersion,
      String stableVersion,
      String message,
      String action) {
    Alert a =
        new Alert(
            UUID.randomUUID().toString(),
            app,
            rolloutId,
            step,
            kind + reason,
            Alert.dedupKey(app, rolloutId, kind + reason),
            canaryVersion,
            stableVersion,
            message == null || message.isBlank() ? reason : message,
            null,
            null,
            null,
            action,
            Alert.OPEN,
            Instant.now(),
            null,
            null,
            Alert.PAUSED.equals(kind) ? Alert.WARNING : Alert.CRITICAL,
            List.of());
    boolean opened = store.openNow(a, channels(app));
    if (opened) {
      wake();
    }
  }

  /** An operator acknowledged the incident: an automatic rollback's incident is then over. */
  public void acknowledged(String alertId) {
    if (store.resolveAcked(alertId, Alert.ROLLBACK) > 0) {
      wake();
    }
  }

  /** The rollout left a pause (a step started, or it was promoted): its pause's page is over. */
  public void movedOn(String rolloutId) {
    if (store.resolvePaused(rolloutId, Alert.PAUSED) > 0) {
      wake();
    }
  }

  /** The app's next rollout started: earlier automatic-rollback incidents are over. */
  public void rolloutStarted(String app, String rolloutId) {
    if (store.resolveEarlier(app, rolloutId, Alert.ROLLBACK) > 0) {
      wake();
    }
  }

  /** The rollout was rolled back: its open incidents are resolved on the channels they paged. */
  public void rolledBack(String rolloutId) {
    if (store.resolveRollout(rolloutId) > 0) {
      wake();
    }
  }

  /** Sends what is due now instead of at the next poll. */
  public void wake() {
    schedule(Duration.ZERO);
  }

  private void schedule(Duration after) {
    if (poller == null) {
      return; // not started yet: the first poll sends it
    }
    try {
      poller.schedule(this::sendDue, after.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping: the next process sends it from the outbox
    }
  }

  /** The channels configured for {@code app}, by name. */
  private List<String> channels(String app) {
    return Stream.of(ALERTMANAGER, WEBHOOK, PAGERDUTY, SLACK)
        .filter(channel -> urlOf(app, channel).isPresent())
        .toList();
  }

  private AlertConfig.Channels channelsOf(String app) {
    return config.apps().getOrDefault(app, config.defaults());
  }

  private void sendDue() {
    List<Pending> due;
    try {
      // a claim outlasts one attempt: connect and response timeouts, and the store's writes
      due = store.claimDue(config.timeout().multipliedBy(2).plusSeconds(10), BATCH);
      if (storeAway.compareAndSet(true, false)) {
        LOG.info("alert deliveries: the database is back");
      }
    } catch (Jdbc.StoreException e) {
      if (storeAway.compareAndSet(false, true)) {
        LOG.warnf("alert deliveries wait for the database: %s", e.getMessage());
      }
      return;
    }
    for (Pending p : due) {
      try {
        senders.submit(() -> send(p));
      } catch (RejectedExecutionException e) {
        return; // stopping: the claim runs out and the next process sends it
      }
    }
    if (due.size() == BATCH) {
      wake();
    }
  }

  private void send(Pending p) {
    try {
      Optional<Alert> alert = store.find(p.alertId());
      Optional<String> url = alert.flatMap(a -> urlOf(a.app(), p.channel()));
      if (url.isEmpty()) {
        store.abandon(p, "not sent: channel " + p.channel() + " is no longer configured");
        LOG.warnf("alert %s: %s is no longer configured", p.alertId(), p.channel());
        return;
      }
      attempt(alert.get(), p, url.get());
    } catch (Jdbc.StoreException e) {
      // the claim runs out and the delivery comes due again
      LOG.warnf(
          "alert %s: %s delivery waits for the database: %s",
          p.alertId(), p.channel(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Optional<String> urlOf(String app, String channel) {
    AlertConfig.Channels ch = channelsOf(app);
    return switch (channel) {
      case ALERTMANAGER -> ch.alertmanagerUrl().map(Alerter::alertmanagerApi);
      case WEBHOOK -> ch.webhookUrl();
      case PAGERDUTY ->
          ch.pagerdutyRoutingKey().filter(k -> !k.isBlank()).map(k -> ch.pagerdutyUrl());
      case SLACK -> ch.slackWebhookUrl();
      default -> Optional.empty();
    };
  }

  static String alertmanagerApi(String base) {
    String b = base.strip();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return b + ALERTMANAGER_API;
  }

  private JsonNode body(Alert a, String channel, boolean resolved) {
    String base = config.consoleUrl();
    return switch (channel) {
      case ALERTMANAGER ->
          AlertPayloads.alertmanagerApi(
              a, resolved, base, Instant.now().plus(config.resendInterval().multipliedBy(4)));
      case WEBHOOK -> AlertPayloads.webhook(a, resolved, base);
      case PAGERDUTY ->
          AlertPayloads.pagerduty(
              a, resolved, channelsOf(a.app()).pagerdutyRoutingKey().orElseThrow(), base);
      default -> AlertPayloads.slack(a, resolved, base);
    };
  }

  private void attempt(Alert a, Pending p, String url) throws InterruptedException {
    byte[] body;
    try {
      body =
          EventCodec.mapper().writeValueAsBytes(body(a, p.channel(), "resolve".equals(p.action())));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int attempt = p.attempts() + 1;
    Integer status = null;
    String outcome;
    Optional<Duration> retryAfter = Optional.empty();
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(config.timeout())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      status = r.statusCode();
      retryAfter = r.headers().firstValue("Retry-After").flatMap(Alerter::seconds);
      outcome = status / 100 == 2 ? "delivered" : "rejected";
    } catch (IOException | IllegalArgumentException e) {
      // the message may carry the URL: only the kind of failure is kept
      outcome = "failed: " + e.getClass().getSimpleName();
    }
    boolean delivered = "delivered".equals(outcome);
    boolean retry = !delivered && (status == null || status == 429 || status >= 500);
    boolean last = attempt >= config.maxAttempts();
    if (delivered) {
      store.attempted(p, status, outcome, null);
      LOG.infof("alert %s: %s %s delivered to %s", a.id(), a.detector(), p.action(), p.channel());
      if (ALERTMANAGER.equals(p.channel()) && !"resolve".equals(p.action())) {
        // Alertmanager forgets an alert that is not sent again before its endsAt
        store.queueResend(a.id(), p.channel(), config.resendInterval());
        schedule(config.resendInterval());
      }
      return;
    }
    if (!retry || last) {
      store.attempted(p, status, outcome, null);
      LOG.warnf(
          "alert %s: %s %s not delivered to %s after %d attempt(s) (%s)",
          a.id(),
          a.detector(),
          p.action(),
          p.channel(),
          attempt,
          status == null ? outcome : "HTTP " + status);
      return;
    }
    Duration pause =
        retryAfter.filter(d -> d.compareTo(config.maxBackoff()) <= 0).orElse(backoff(attempt));
    store.attempted(p, status, outcome + ", will retry", Instant.now().plus(pause));
    schedule(pause);
  }

  /** The pause after the {@code attempt}-th attempt: the first one's, doubled each time. */
  private Duration backoff(int attempt) {
    Duration pause = config.initialBackoff();
    for (int i = 1; i < attempt && pause.compareTo(config.maxBackoff()) < 0; i++) {
      pause = pause.multipliedBy(2);
    }
    return pause.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : pause;
  }

  private static Optional<Duration> seconds(String header) {
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}

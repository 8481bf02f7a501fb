package dev.gantry.monitor.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.events.EventCodec;
import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.Verdict;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Pages on-call when a canary fails and tells them when the rollback is done. One incident per
 * rollout and detector; every delivery attempt is recorded; 5xx, 429 and network errors are retried
 * with exponential back-off (honouring Retry-After). Channel URLs and keys are secrets and appear
 * in no log line and no record.
 */
@ApplicationScoped
public class Alerter {
  private static final Logger LOG = Logger.getLogger(Alerter.class);
  static final String ALERTMANAGER = "alertmanager";
  static final String PAGERDUTY = "pagerduty";
  static final String SLACK = "slack";

  @Inject AlertConfig config;
  @Inject AlertStore store;

  private HttpClient http;
  private ExecutorService deliveries;

  @PostConstruct
  void init() {
    http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    deliveries =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "monitor-alerts");
              t.setDaemon(true);
              return t;
            });
  }

  void shutdown(@Observes ShutdownEvent e) {
    deliveries.shutdownNow();
  }

  /**
   * Opens an incident for each failed check of a step, unless the rollout already has one for that
   * detector; deliveries run in the background.
   */
  public void failed(
      String app,
      String rolloutId,
      int step,
      String canaryVersion,
      String stableVersion,
      List<Evidence> evidence,
      String action) {
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
              null);
      if (store.open(a)) {
        deliveries.submit(() -> deliverAll(a, false));
      }
    }
  }

  /** The rollout was rolled back: its open incidents are resolved on every channel. */
  public void rolledBack(String rolloutId) {
    for (Alert a : store.resolveRollout(rolloutId)) {
      deliveries.submit(() -> deliverAll(a, true));
    }
  }

  private record Message(String channel, String url, ObjectNode body) {}

  private void deliverAll(Alert a, boolean resolved) {
    AlertConfig.Channels ch = config.apps().getOrDefault(a.app(), config.defaults());
    String base = config.publicUrl();
    List<Message> messages = new ArrayList<>();
    ch.alertmanagerUrl()
        .ifPresent(
            u ->
                messages.add(
                    new Message(ALERTMANAGER, u, AlertPayloads.alertmanager(a, resolved, base))));
    ch.pagerdutyRoutingKey()
        .filter(k -> !k.isBlank())
        .ifPresent(
            k ->
                messages.add(
                    new Message(
                        PAGERDUTY,
                        ch.pagerdutyUrl(),
                        AlertPayloads.pagerduty(a, resolved, k, base))));
    ch.slackWebhookUrl()
        .ifPresent(
            u -> messages.add(new Message(SLACK, u, AlertPayloads.slack(a, resolved, base))));
    for (Message m : messages) {
      try {
        deliver(a, m, resolved ? "resolve" : "trigger");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warnf(
            "alert %s: %s delivery stopped: %s", a.id(), m.channel(), e.getClass().getSimpleName());
      }
    }
  }

  private void deliver(Alert a, Message m, String action) throws InterruptedException {
    byte[] body;
    try {
      body = EventCodec.mapper().writeValueAsBytes(m.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Duration backoff = config.initialBackoff();
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      Integer status = null;
      String outcome;
      Optional<Duration> retryAfter = Optional.empty();
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(m.url()))
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
      boolean retry = status == null || status == 429 || status >= 500;
      boolean last = attempt == config.maxAttempts();
      boolean delivered = "delivered".equals(outcome);
      store.recordDelivery(
          a.id(),
          m.channel(),
          action,
          attempt,
          status,
          !delivered && retry && !last ? outcome + ", will retry" : outcome);
      if (delivered) {
        LOG.infof("alert %s: %s %s delivered to %s", a.id(), a.detector(), action, m.channel());
        return;
      }
      if (!retry || last) {
        LOG.warnf(
            "alert %s: %s %s not delivered to %s after %d attempt(s) (%s)",
            a.id(),
            a.detector(),
            action,
            m.channel(),
            attempt,
            status == null ? outcome : "HTTP " + status);
        return;
      }
      Duration pause =
          retryAfter.filter(d -> d.compareTo(config.maxBackoff()) <= 0).orElse(backoff);
      Thread.sleep(pause.toMillis());
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(config.maxBackoff()) > 0) {
        backoff = config.maxBackoff();
      }
    }
  }

  private static Optional<Duration> seconds(String header) {
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}

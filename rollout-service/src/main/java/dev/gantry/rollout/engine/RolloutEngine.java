package dev.gantry.rollout.engine;

import dev.gantry.events.EventCodec;
import dev.gantry.events.EventTypes;
import dev.gantry.events.analysis.AnalysisVerdict;
import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.RollbackRequested;
import dev.gantry.events.build.Artifact;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.rollout.RolloutAborted;
import dev.gantry.events.rollout.RolloutRolledBack;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.rollout.config.RolloutConfig;
import dev.gantry.rollout.domain.Action;
import dev.gantry.rollout.domain.AppSpec;
import dev.gantry.rollout.domain.OnNewBuild;
import dev.gantry.rollout.domain.Phase;
import dev.gantry.rollout.domain.Reasons;
import dev.gantry.rollout.domain.Release;
import dev.gantry.rollout.domain.Request;
import dev.gantry.rollout.domain.RequestResult;
import dev.gantry.rollout.domain.RolloutStatus;
import dev.gantry.rollout.domain.Verdict;
import dev.gantry.rollout.messaging.EventPublisher;
import dev.gantry.rollout.messaging.RolloutEventsOf;
import dev.gantry.rollout.persistence.AppNotFoundException;
import dev.gantry.rollout.persistence.AppRecord;
import dev.gantry.rollout.persistence.AppStore;
import dev.gantry.rollout.persistence.Jdbc;
import dev.gantry.rollout.persistence.Outbox;
import dev.gantry.rollout.persistence.Reconciled;
import dev.gantry.rollout.persistence.RolloutNotFoundException;
import dev.gantry.rollout.persistence.RolloutStore;
import dev.gantry.rollout.persistence.StoredRollout;
import dev.gantry.rollout.router.AppRoute;
import dev.gantry.rollout.router.Backend;
import dev.gantry.rollout.router.Cancellation;
import dev.gantry.rollout.router.RouteState;
import dev.gantry.rollout.router.RouterException;
import dev.gantry.rollout.router.TrafficRouter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Drives rollouts: turns builds, verdicts, operators' requests and the timer into stored state,
 * then brings the router and rollout.events in line with what is stored.
 *
 * <p>Every input follows the same two halves. First a transaction stores the new state together
 * with the events that report it (the outbox) and, on a promotion, the app's new serving release.
 * Then {@link #converge} applies the app's stored route to its router and publishes the app's
 * pending events. The second half reads only stored state and is idempotent, so it runs again after
 * a crash, from the timer, or at startup, and neither repeats nor loses a change.
 *
 * <p>The first half runs on the caller's thread under a short lock per app; the second half runs
 * after it on the app's own lane ({@link Convergence}), so that the Kafka consumer and the timer
 * never wait for a router: a canary that takes long to become ready holds up no other app, and a
 * rollback or an abort stored meanwhile makes that wait give way. Operators' requests wait a little
 * ({@code gantry.rollout.converge-wait}) for their converge, so that their answer usually shows the
 * router done.
 */
@ApplicationScoped
public class RolloutEngine {
  private static final Logger LOG = Logger.getLogger(RolloutEngine.class);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration FAILED_CONVERGE_RETRY = Duration.ofSeconds(1);

  private final DataSource dataSource;
  private final RolloutStore rollouts;
  private final AppStore apps;
  private final Outbox outbox;
  private final Routers routers;
  private final EventPublisher publisher;
  private final CurrentLinks links;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, RouteState> routed = new ConcurrentHashMap<>();
  private final RouterRetries retries;
  private final int transientRetries;
  private final MeterRegistry meters;
  private final Duration convergeWait;
  private final Convergence convergence;

  /** Apps whose converge failed on something other than the router (the database), to retry. */
  private final Map<String, Instant> failedConverges = new ConcurrentHashMap<>();

  @Inject
  public RolloutEngine(
      DataSource dataSource,
      RolloutStore rollouts,
      AppStore apps,
      Outbox outbox,
      Routers routers,
      EventPublisher publisher,
      RolloutConfig config,
      MeterRegistry meters) {
    this.dataSource = dataSource;
    this.rollouts = rollouts;
    this.apps = apps;
    this.outbox = outbox;
    this.routers = routers;
    this.publisher = publisher;
    this.links = new CurrentLinks(config.shared().root());
    this.retries = new RouterRetries(config.router().retryBackoff());
    this.transientRetries = config.router().transientRetries();
    this.meters = meters;
    this.convergeWait = config.rollout().convergeWait();
    this.convergence =
        new Convergence(
            new Convergence.Work() {
              @Override
              public void converge(String app, Cancellation cancellation) {
                settle(app, cancellation);
              }

              @Override
              public void publish(String app) {
                publishPending(app);
              }
            });
  }

  // --- inputs -----------------------------------------------------------------------------------

  /**
   * A build of a registered repository and branch starts a rollout, or waits for the running one
   * (which it aborts first when the app's policy is REPLACE). Redelivery changes nothing, and
   * neither does a build older than one the app has seen ({@link Release#builtBefore}).
   */
  public void onBuildSucceeded(BuildSucceeded build) {
    Optional<AppRecord> found = apps.findByRepoAndBranch(build.repo(), build.refName());
    if (found.isEmpty()) {
      LOG.debugf("build %s of %s@%s feeds no app", build.buildId(), build.repo(), build.refName());
      return;
    }
    AppSpec app = found.get().spec();
    Optional<Artifact> artifact =
        build.artifacts() == null
            ? Optional.empty()
            : build.artifacts().stream()
                .filter(a -> app.platform().equals(a.goos() + "_" + a.goarch()))
                .findFirst();
    if (artifact.isEmpty()) {
      LOG.warnf(
          "build %s of %s has no %s binary; no rollout",
          build.buildId(), app.name(), app.platform());
      return;
    }
    Release release =
        new Release(
            build.version(),
            build.buildId(),
            build.commit(),
            artifact.get().path(),
            build.finishedAt());
    boolean aborted =
        withLock(
            app.name(),
            () -> {
              queue(app.name(), release);
              // asked again after a crash between the two, the abort is not lost: the build still
              // waits
              boolean waiting =
                  apps.find(app.name())
                      .map(
                          a -> a.queued() != null && a.queued().buildId().equals(release.buildId()))
                      .orElse(false);
              boolean abort = false;
              if (waiting && app.onNewBuild() == OnNewBuild.REPLACE) {
                abort =
                    rollouts
                        .active(app.name())
                        .filter(r -> !r.spec().canary().buildId().equals(release.buildId()))
                        .map(r -> submitAndReconcile(r.id(), supersededBy(release)))
                        .map(RolloutEngine::tookCanaryAway)
                        .orElse(false);
              }
              startQueued(app.name());
              return abort;
            });
    convergeLater(app.name(), aborted);
  }

  /**
   * @param eventId the verdict's CloudEvent id, reported as the cause of what it leads to
   */
  public void onVerdict(String eventId, AnalysisVerdict verdict) {
    Optional<UUID> id = uuid(verdict.rolloutId());
    if (id.isEmpty() || verdict.verdict() == null) {
      LOG.warnf(
          "ignoring a verdict without a valid rollout id or verdict: %s", verdict.rolloutId());
      return;
    }
    request(
        id.get(),
        new Request.ReportVerdict(
            verdict.step(),
            Verdict.valueOf(verdict.verdict().name()),
            summary(verdict.evidence()),
            eventId));
  }

  /**
   * @param eventId the request's CloudEvent id, reported as the rollback's cause
   */
  public void onRollbackRequested(String eventId, RollbackRequested rollback) {
    Optional<UUID> id = uuid(rollback.rolloutId());
    if (id.isEmpty()) {
      LOG.warnf("ignoring a rollback request for rollout %s", rollback.rolloutId());
      return;
    }
    String reason =
        rollback.reason() == null ? "monitor-service asked for a rollback" : rollback.reason();
    request(id.get(), new Request.Rollback(reason, null, eventId));
  }

  /**
   * The monitor's request: stored and reconciled; the router follows on the app's lane, without the
   * caller waiting for it.
   */
  public Outcome request(UUID id, Request request) {
    return submit(id, request).outcome();
  }

  /**
   * An operator's request: as {@link #request}, and then waits up to {@code
   * gantry.rollout.converge-wait} for the router to carry it out, so that the answer shows it done.
   */
  public Outcome operatorRequest(UUID id, Request request) {
    Submitted submitted = submit(id, request);
    awaitConverged(submitted.app(), submitted.converged());
    return submitted.outcome();
  }

  /** A request stored and reconciled, and the converge of its app it asked for. */
  private record Submitted(String app, Outcome outcome, CompletableFuture<Void> converged) {}

  private Submitted submit(UUID id, Request request) {
    StoredRollout rollout = rollouts.load(id).orElseThrow(() -> new RolloutNotFoundException(id));
    String app = rollout.spec().app();
    Outcome outcome =
        withLock(
            app,
            () -> {
              Outcome o = submitAndReconcile(id, request);
              startQueued(app);
              return o;
            });
    return new Submitted(app, outcome, convergeLater(app, tookCanaryAway(outcome)));
  }

  /**
   * Sends the app back to the release before the one serving now, at once: the running rollout is
   * rolled back if there is one; otherwise the previous release serves again.
   *
   * @throws NothingToRollBackException when there is nothing to go back to
   */
  public AppRecord rollbackApp(String name) {
    Instant asked = Instant.now();
    withLock(
        name,
        () -> {
          Optional<StoredRollout> active = rollouts.active(name);
          if (active.isPresent()) {
            submitAndReconcile(
                active.get().id(),
                new Request.Rollback("rolled back by an operator", Reasons.MANUAL_ROLLBACK));
          } else {
            restorePrevious(name, asked);
          }
          return null;
        });
    awaitConverged(name, convergeLater(name, true));
    return apps.find(name).orElseThrow(() -> new AppNotFoundException(name));
  }

  /** The timer: reconciles what is due; each app whose rollout changed converges on its lane. */
  public void tick() {
    Instant now = Instant.now();
    for (RolloutStore.Due due : rollouts.due(now, 100)) {
      Ticked ticked =
          withLock(
              due.app(),
              () -> {
                Reconciled reconciled = reconcile(due.id(), Instant.now());
                boolean started = startQueued(due.app());
                return new Ticked(
                    started || !reconciled.actions().isEmpty(), tookCanaryAway(reconciled));
              });
      if (ticked.changed()) {
        convergeLater(due.app(), ticked.tookCanaryAway());
      }
    }
  }

  private record Ticked(boolean changed, boolean tookCanaryAway) {}

  /** Applies every app's stored route and publishes what is pending: after a start or a crash. */
  public void resumeAll() {
    for (AppRecord app : apps.list()) {
      try {
        withLock(app.name(), () -> startQueued(app.name()));
        convergeLater(app.name(), false);
      } catch (RuntimeException e) {
        LOG.errorf(e, "could not resume app %s", app.name());
      }
    }
    publishAllPending();
  }

  /** Publishes what the broker did not take earlier, each app on its lane. */
  public void publishAllPending() {
    for (String app : outbox.appsWithPending()) {
      convergence.publish(app);
    }
  }

  void onCrash(@Observes Routers.ChildCrashed crashed) {
    convergeLater(crashed.app(), false);
  }

  /**
   * Stops converging: waits that are still running give way, and what runs finishes. For a graceful
   * stop, before the routers stop what they run.
   */
  public void close() {
    convergence.close();
  }

  /** Where the app's tracks serve now, as last applied by this instance. */
  public Optional<RouteState> routeState(String app) {
    return Optional.ofNullable(routed.get(app));
  }

  // --- the first half: stored state -------------------------------------------------------------

  /** The result of a request: whether it was accepted, and the rollout after its reconcile. */
  public record Outcome(RequestResult result, Reconciled reconciled) {}

  private Outcome submitAndReconcile(UUID id, Request request) {
    RequestResult result = rollouts.submit(id, request, Instant.now());
    if (result instanceof RequestResult.Rejected) {
      return new Outcome(result, null);
    }
    return new Outcome(result, reconcile(id, Instant.now()));
  }

  private Reconciled reconcile(UUID id, Instant now) {
    Reconciled reconciled =
        rollouts.reconcile(
            id,
            now,
            (c, before, after) -> {
              // a rollout whose app is gone still records what happened; nothing routes it
              Optional<AppRecord> app = apps.find(c, before.spec().app(), true);
              if (app.isPresent() && !after.actions(Action.MakeCanaryStable.class).isEmpty()) {
                AppRecord a = app.get();
                apps.setReleases(c, a.name(), before.spec().canary(), a.current(), a.queued(), now);
              }
              String router = app.map(a -> a.spec().router()).orElse(null);
              for (var event : RolloutEventsOf.reconcile(router, before, after)) {
                outbox.add(c, before.id(), event, now);
              }
            });
    for (Action.RecordTransition t : reconciled.actions(Action.RecordTransition.class)) {
      LOG.infof(
          "rollout %s of %s: %s -> %s (%s) %s",
          id, reconciled.rollout().spec().app(), t.from(), t.to(), t.reason(), t.message());
    }
    return reconciled;
  }

  /**
   * Makes the build the app's next rollout; false when it has had one or waits already, or when it
   * is older than the build waiting or than one the app has had a rollout of.
   */
  private boolean queue(String name, Release release) {
    return Jdbc.inTransaction(
        dataSource,
        "queue build " + release.buildId(),
        c -> {
          AppRecord app =
              apps.find(c, name, true).orElseThrow(() -> new AppNotFoundException(name));
          if (rollouts.existsForBuild(c, release.buildId())
              || (app.queued() != null && app.queued().buildId().equals(release.buildId()))) {
            return false;
          }
          // build.events is keyed by build id: an app's builds may arrive out of order
          Optional<Release> newer =
              Stream.of(Optional.ofNullable(app.queued()), rollouts.newestRolledOut(c, name))
                  .flatMap(Optional::stream)
                  .filter(release::builtBefore)
                  .findFirst();
          if (newer.isPresent()) {
            LOG.infof(
                "build %s of %s (%s, built %s) is older than build %s (%s, built %s); ignored",
                release.buildId(),
                name,
                release.version(),
                release.builtAt(),
                newer.get().buildId(),
                newer.get().version(),
                newer.get().builtAt());
            return false;
          }
          if (app.queued() != null) {
            LOG.infof(
                "build %s replaces %s in %s's queue",
                release.buildId(), app.queued().buildId(), name);
          }
          apps.setReleases(c, name, app.current(), app.previous(), release, Instant.now());
          return true;
        });
  }

  /**
   * Starts the queued build's rollout when none is running.
   *
   * @return whether it started one
   */
  private boolean startQueued(String name) {
    Optional<UUID> started =
        Jdbc.inTransaction(
            dataSource,
            "start the queued rollout of " + name,
            c -> {
              Optional<AppRecord> app = apps.find(c, name, true);
              if (app.isEmpty()
                  || app.get().queued() == null
                  || rollouts.active(c, name).isPresent()) {
                return Optional.empty();
              }
              AppRecord a = app.get();
              Instant now = Instant.now();
              apps.setReleases(c, name, a.current(), a.previous(), null, now);
              if (rollouts.existsForBuild(c, a.queued().buildId())) {
                return Optional.empty();
              }
              StoredRollout created =
                  rollouts.create(c, a.spec().rolloutOf(a.queued(), a.current()), now);
              LOG.infof(
                  "rollout %s of %s: %s replaces %s",
                  created.id(),
                  name,
                  a.queued().version(),
                  a.current() == null ? "nothing" : a.current().version());
              return Optional.of(created.id());
            });
    started.ifPresent(id -> reconcile(id, Instant.now()));
    return started.isPresent();
  }

  private void restorePrevious(String name, Instant asked) {
    Jdbc.inTransaction(
        dataSource,
        "roll back " + name,
        c -> {
          AppRecord app =
              apps.find(c, name, true).orElseThrow(() -> new AppNotFoundException(name));
          if (app.previous() == null) {
            throw new NothingToRollBackException(name);
          }
          Instant now = Instant.now();
          apps.setReleases(c, name, app.previous(), null, app.queued(), now);
          StoredRollout last =
              rollouts.list(Optional.of(name), Optional.of(Phase.PROMOTED), 1).stream()
                  .findFirst()
                  .orElse(null);
          outbox.add(
              c,
              last == null ? null : last.id(),
              new RolloutRolledBack(
                  last == null ? null : last.id().toString(),
                  name,
                  RolloutEventsOf.release(app.current()),
                  RolloutEventsOf.release(app.previous()),
                  last == null ? 0 : last.spec().lastStepIndex(),
                  100,
                  Reasons.MANUAL_ROLLBACK,
                  "rolled back by an operator from "
                      + app.current().version()
                      + " to "
                      + app.previous().version(),
                  null,
                  asked,
                  now),
              now);
          return null;
        });
  }

  // --- the second half: the router and the events ----------------------------------------------

  /**
   * Asks for the app to converge on its lane.
   *
   * @param tookCanaryAway the stored change stops the canary (a rollback, an abort): a converge
   *     still waiting for a version gives way to it
   */
  private CompletableFuture<Void> convergeLater(String app, boolean tookCanaryAway) {
    if (tookCanaryAway) {
      convergence.supersede(app);
    }
    return convergence.converge(app);
  }

  private void awaitConverged(String app, CompletableFuture<Void> converged) {
    if (!Convergence.await(converged, convergeWait)) {
      LOG.infof(
          "the router of %s has not caught up within %s; answering with the stored state",
          app, convergeWait);
    }
  }

  private static boolean tookCanaryAway(Outcome outcome) {
    return outcome.reconciled() != null && tookCanaryAway(outcome.reconciled());
  }

  private static boolean tookCanaryAway(Reconciled reconciled) {
    return !reconciled.actions(Action.StopCanary.class).isEmpty();
  }

  /**
   * Converges the app on its lane; a router failure is logged and the app retried by the timer,
   * never thrown: what was asked is stored, and an event or request must not be redone because the
   * router is behind.
   */
  private void settle(String name, Cancellation cancellation) {
    try {
      converge(name, cancellation);
      failedConverges.remove(name);
      if (retries.succeeded(name)) {
        LOG.infof("the router of %s caught up with the stored state", name);
      }
    } catch (RouterException e) {
      if (e.isCancelled()) {
        LOG.infof("the router of %s gave way to a newer state: %s", name, e.getMessage());
        return;
      }
      int failures = retries.failed(name, Instant.now());
      LOG.warnf(
          "the router of %s is behind the stored state (failure %d in a row%s); retrying in %s: %s",
          name,
          failures,
          e.isTransient() ? ", transient" : "",
          retries.waitAfter(failures),
          e.getMessage());
    } catch (RuntimeException e) {
      failedConverges.put(name, Instant.now().plus(FAILED_CONVERGE_RETRY));
      LOG.errorf(e, "converging %s failed; trying again in %s", name, FAILED_CONVERGE_RETRY);
    }
  }

  /** Apps whose router could not be brought in line and whose wait is over: for the timer. */
  public void settleUnsettled() {
    Instant now = Instant.now();
    for (String app : retries.claimDue(now)) {
      convergeLater(app, false);
    }
    failedConverges.forEach(
        (app, retryAt) -> {
          if (!retryAt.isAfter(now) && failedConverges.remove(app, retryAt)) {
            convergeLater(app, false);
          }
        });
  }

  /** What is stored for the app, read together. */
  private record Stored(Optional<AppRecord> app, Optional<StoredRollout> active) {}

  private void converge(String name, Cancellation cancellation) {
    for (int attempt = 0; attempt < 3; attempt++) {
      // under the app's lock: a promotion stores the rollout and the app's release together
      Stored stored = withLock(name, () -> new Stored(apps.find(name), rollouts.active(name)));
      if (stored.app().isEmpty()) {
        return;
      }
      AppRecord app = stored.app().get();
      Optional<StoredRollout> active = stored.active();
      AppRoute route = route(app, active);
      if (route.stable() == null && route.canary() == null) {
        publishPending(name);
        return;
      }
      TrafficRouter router = routers.of(app.spec().router()).orElse(null);
      if (router == null) {
        LOG.errorf(
            "app %s uses router %s, which this instance does not offer", name, app.spec().router());
        publishPending(name);
        return;
      }
      try {
        routed.put(name, router.apply(route, cancellation));
        Instant routedAt = Instant.now();
        LOG.debugf(
            "%s routed: stable %s, canary %s at %d %%",
            name,
            route.stable() == null ? "-" : route.stable().version(),
            route.canary() == null ? "-" : route.canary().version(),
            route.canaryWeight());
        if (route.stable() != null) {
          links.point(route.stable().artifact());
        }
        if (route.canary() != null && withLock(name, () -> stepApplied(active.get(), route))) {
          continue; // the step's gate passed at once: the route changed again
        }
        publishPending(name, route, routedAt);
        return;
      } catch (RouterException e) {
        if (e.isCancelled()) {
          throw e;
        }
        if (active.isEmpty() || route.canary() == null) {
          LOG.errorf("could not apply the route of %s: %s", name, e.getMessage());
          publishPending(name);
          throw e;
        }
        int failed = retries.failures(name) + 1;
        if (e.isTransient() && failed <= transientRetries) {
          // nginx or the cluster, not the canary: the stored split waits, nothing moves ahead
          meters.counter("gantry.rollout.router.retries", "app", name).increment();
          throw e;
        }
        LOG.errorf("canary of %s failed, rolling back: %s", name, e.getMessage());
        Request rollback =
            e.isTransient()
                ? new Request.Rollback(
                    "the router failed " + failed + " times in a row: " + e.getMessage(),
                    Reasons.ROUTER_FAILED)
                : new Request.Rollback(
                    "the canary could not serve: " + e.getMessage(), Reasons.CANARY_UNHEALTHY);
        withLock(
            name,
            () -> {
              submitAndReconcile(active.get().id(), rollback);
              return startQueued(name);
            });
      }
    }
    publishPending(name);
  }

  /**
   * Records that the router applied the rollout's current step, from when its gate counts, and
   * reconciles it.
   *
   * @return whether that moved the rollout to another route (a PASS that waited for the router)
   */
  private boolean stepApplied(StoredRollout rollout, AppRoute route) {
    Instant now = Instant.now();
    if (!rollouts.markApplied(
        rollout.id(), rollout.status().stepIndex(), route.canaryWeight(), now)) {
      return false;
    }
    Reconciled reconciled = reconcile(rollout.id(), now);
    return !reconciled.actions(Action.SetWeight.class).isEmpty()
        || !reconciled.actions(Action.StopCanary.class).isEmpty()
        || !reconciled.actions(Action.MakeCanaryStable.class).isEmpty();
  }

  private AppRoute route(AppRecord app, Optional<StoredRollout> active) {
    AppSpec spec = app.spec();
    Backend canary = null;
    int weight = 0;
    if (active.isPresent() && active.get().phase() != Phase.PENDING) {
      canary = backend(active.get().spec().canary());
      weight = active.get().status().canaryWeight();
    }
    return new AppRoute(
        spec.name(),
        spec.healthPath(),
        spec.listenPort(),
        spec.routerOptions(),
        backend(app.current()),
        canary,
        weight);
  }

  /** Publishes the app's pending events in order, as stored; on its lane. */
  private Void publishPending(String app) {
    return publishPending(app, null, null);
  }

  /**
   * Publishes the app's pending events in order; on its lane. A step is announced once the router
   * has applied it, with where the versions serve and from when its gate counts. After {@code
   * applied} went to the router at {@code appliedAt}, the end of a rollout whose canary that route
   * still carried waits for the next converge, and a rollback is reported done when it was applied.
   */
  private Void publishPending(String app, AppRoute applied, Instant appliedAt) {
    RouteState state = routed.get(app);
    Map<UUID, Optional<StoredRollout>> rolloutsOf = new java.util.HashMap<>();
    for (Outbox.Entry entry : outbox.pending(app)) {
      byte[] payload = entry.payload();
      if (EventTypes.ROLLOUT_STEP_STARTED.equals(entry.type())) {
        RolloutStepStarted step = EventCodec.decodeData(payload, RolloutStepStarted.class);
        Optional<RolloutStatus> status =
            Optional.ofNullable(entry.rolloutId())
                .flatMap(id -> rolloutsOf.computeIfAbsent(id, rollouts::load))
                .map(StoredRollout::status);
        // the rollout's status while it is still at this step
        Optional<RolloutStatus> atStep =
            status.filter(s -> s.outcome() == null && s.stepIndex() == step.step());
        if (atStep.isPresent() && !atStep.get().stepApplied()) {
          return null; // the converge that applies it publishes it and what follows
        }
        if (atStep.isEmpty() && status.map(s -> neverApplied(s, step.step())).orElse(false)) {
          // left (aborted, promoted past) before the router applied it: it never took traffic
          LOG.debugf("not announcing step %d of %s: it was never applied", step.step(), app);
          outbox.markPublished(entry.id(), Instant.now());
          continue;
        }
        if (state != null) {
          payload =
              EventCodec.encodeData(
                  new RolloutStepStarted(
                      step.rolloutId(),
                      step.app(),
                      step.canary(),
                      step.stable(),
                      step.step(),
                      step.weight(),
                      state.canary(),
                      state.stable(),
                      atStep.map(RolloutStatus::appliedAt).orElse(step.startedAt()),
                      atStep.isPresent() ? atStep.get().stepDeadline() : step.deadline()));
        }
      }
      if (applied != null
          && (EventTypes.ROLLOUT_ROLLED_BACK.equals(entry.type())
              || EventTypes.ROLLOUT_ABORTED.equals(entry.type()))) {
        String canaryBuild = canaryBuildOf(entry);
        if (applied.canary() != null && applied.canary().buildId().equals(canaryBuild)) {
          return null; // that route still sent the canary traffic: the next converge takes it away
        }
        if (EventTypes.ROLLOUT_ROLLED_BACK.equals(entry.type())) {
          RolloutRolledBack done = EventCodec.decodeData(payload, RolloutRolledBack.class);
          payload = EventCodec.encodeData(rolledBackAt(done, appliedAt));
        }
      }
      if (!publisher.publish(entry, payload, PUBLISH_TIMEOUT)) {
        return null; // in order: the rest waits for the timer
      }
      outbox.markPublished(entry.id(), Instant.now());
    }
    return null;
  }

  private static String canaryBuildOf(Outbox.Entry entry) {
    dev.gantry.events.rollout.Release canary =
        EventTypes.ROLLOUT_ROLLED_BACK.equals(entry.type())
            ? EventCodec.decodeData(entry.payload(), RolloutRolledBack.class).canary()
            : EventCodec.decodeData(entry.payload(), RolloutAborted.class).canary();
    return canary == null ? null : canary.buildId();
  }

  /** The rollback as done when the router applied it: stable serves all traffic from then. */
  private static RolloutRolledBack rolledBackAt(RolloutRolledBack e, Instant appliedAt) {
    Instant at =
        e.rolledBackAt() == null || appliedAt.isAfter(e.rolledBackAt())
            ? appliedAt
            : e.rolledBackAt();
    return new RolloutRolledBack(
        e.rolloutId(),
        e.app(),
        e.canary(),
        e.stable(),
        e.step(),
        e.weight(),
        e.reason(),
        e.message(),
        e.causeId(),
        e.requestedAt(),
        at);
  }

  /** Applied steps only grow: none at or after {@code step} means {@code step} never was. */
  private static boolean neverApplied(RolloutStatus status, int step) {
    return status.appliedStep() == null || status.appliedStep() < step;
  }

  private static Request.Abort supersededBy(Release newer) {
    return new Request.Abort(
        "aborted for build " + newer.buildId() + " (" + newer.version() + "), which is newer",
        Reasons.SUPERSEDED_BY_NEWER_BUILD);
  }

  // --- helpers ----------------------------------------------------------------------------------

  private <T> T withLock(String app, java.util.function.Supplier<T> work) {
    ReentrantLock lock = locks.computeIfAbsent(app, a -> new ReentrantLock());
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  private static Backend backend(Release r) {
    return r == null ? null : new Backend(r.version(), r.buildId(), r.commit(), r.artifact());
  }

  private static Optional<UUID> uuid(String id) {
    try {
      return id == null ? Optional.empty() : Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String summary(List<Evidence> evidence) {
    if (evidence == null || evidence.isEmpty()) {
      return null;
    }
    return evidence.stream()
        .filter(e -> e.verdict() != dev.gantry.events.analysis.Verdict.PASS)
        .map(e -> e.summary() == null ? e.check() : e.summary())
        .collect(Collectors.joining("; "));
  }

  /** An app with no earlier release to go back to. */
  public static class NothingToRollBackException extends RuntimeException {
    public NothingToRollBackException(String app) {
      super(app + " has no previous release to roll back to");
    }
  }
}

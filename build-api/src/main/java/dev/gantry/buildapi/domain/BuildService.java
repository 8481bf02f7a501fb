package dev.gantry.buildapi.domain;

import dev.gantry.buildapi.config.BuildApiConfig;
import dev.gantry.buildapi.messaging.Outbox;
import dev.gantry.buildapi.persistence.BuildEntity;
import dev.gantry.buildapi.persistence.BuildRepository;
import dev.gantry.buildapi.persistence.DeliveryEntity;
import dev.gantry.buildapi.persistence.DeliveryRepository;
import dev.gantry.edge.ApiException;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.Topics;
import dev.gantry.events.build.BuildCancelRequested;
import dev.gantry.events.build.BuildCancelled;
import dev.gantry.events.build.BuildFailed;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildStarted;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.events.build.RefType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

/**
 * The life of a build as build-api sees it: accepted exactly once, announced through the outbox,
 * then moved forward (never back) by what the workers report.
 */
@ApplicationScoped
public class BuildService {
  private static final Logger LOG = Logger.getLogger(BuildService.class);

  @Inject BuildRepository builds;
  @Inject DeliveryRepository deliveries;
  @Inject Outbox outbox;
  @Inject BuildApiConfig config;

  /** What {@link #submit} did: made a new build, or found the one this request already has. */
  public record Submitted(BuildEntity build, boolean created) {}

  /**
   * Records a build and its BuildRequested in one transaction. Two requests racing for the same
   * delivery or the same live commit meet at a unique index; the loser runs again and finds the
   * winner's build.
   */
  public Submitted submit(NewBuild request) {
    try {
      return QuarkusTransaction.requiringNew().call(() -> submitInTransaction(request));
    } catch (PersistenceException e) {
      if (!isUniqueViolation(e)) {
        throw e;
      }
      LOG.debugf(
          "concurrent submission of %s@%s, re-reading", request.ref().full(), request.commit());
      return QuarkusTransaction.requiringNew().call(() -> submitInTransaction(request));
    }
  }

  private Submitted submitInTransaction(NewBuild request) {
    String provider = request.repo().provider;
    if (request.deliveryId() != null) {
      DeliveryEntity seen =
          deliveries.findById(new DeliveryEntity.Key(provider, request.deliveryId()));
      if (seen != null) {
        return new Submitted(builds.findById(seen.buildId), false);
      }
    }
    BuildEntity live =
        request.skipReason() == null
            ? builds
                .findLive(request.repo().repoKey, request.ref().full(), request.commit())
                .orElse(null)
            : null;
    if (live != null) {
      recordDelivery(provider, request.deliveryId(), live.id);
      builds.flush();
      return new Submitted(live, false);
    }

    BuildEntity build = newBuild(request);
    builds.persist(build);
    recordDelivery(provider, request.deliveryId(), build.id);
    builds.flush();

    if (build.status == BuildStatus.QUEUED) {
      if (build.refType == RefType.BRANCH
          && SupersedePolicy.valueOf(request.repo().supersede) == SupersedePolicy.CANCEL_OLDER) {
        for (BuildEntity older : builds.findActiveOnRef(build.repoKey, build.ref, build.id)) {
          markCancelRequested(
              older, "superseded by a newer push to " + build.refName, build.id.toString());
        }
      }
      outbox.enqueue(
          config.topics().buildRequests(),
          Topics.buildRequestKey(build.repoKey, build.refName),
          requested(build));
    }
    return new Submitted(build, true);
  }

  private BuildEntity newBuild(NewBuild request) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    BuildEntity b = new BuildEntity();
    b.id = UUID.randomUUID();
    b.repoId = request.repo().id;
    b.repoKey = request.repo().repoKey;
    b.cloneUrl = request.repo().cloneUrl;
    b.provider = request.repo().provider;
    b.appName = request.repo().appName;
    b.ref = request.ref().full();
    b.refType = request.ref().type();
    b.refName = request.ref().name();
    b.commitSha = request.commit();
    b.message = request.message();
    b.author = request.author();
    b.trigger = request.trigger();
    b.deliveryId = request.deliveryId();
    b.version = request.ref().type() == RefType.TAG ? request.ref().name() : null;
    b.status = request.skipReason() == null ? BuildStatus.QUEUED : BuildStatus.SKIPPED;
    b.skipReason = request.skipReason();
    b.createdAt = now;
    b.updatedAt = now;
    if (b.status == BuildStatus.SKIPPED) {
      b.finishedAt = now;
    }
    return b;
  }

  private void recordDelivery(String provider, String deliveryId, UUID buildId) {
    if (deliveryId == null) {
      return;
    }
    DeliveryEntity d = new DeliveryEntity();
    d.key = new DeliveryEntity.Key(provider, deliveryId);
    d.buildId = buildId;
    d.receivedAt = Instant.now();
    deliveries.persist(d);
  }

  /** Asks the workers to stop a queued or running build. Asking twice is asking once. */
  @Transactional
  public BuildEntity requestCancel(UUID id, String reason) {
    BuildEntity build = builds.findByIdOptional(id).orElseThrow(() -> notFound(id));
    if (build.status.isTerminal()) {
      throw new ApiException.Conflict(
          "build "
              + id
              + " is "
              + build.status
              + "; only QUEUED or RUNNING builds can be cancelled");
    }
    if (build.cancelRequestedAt == null) {
      markCancelRequested(build, reason, null);
    }
    return build;
  }

  private void markCancelRequested(BuildEntity build, String reason, String supersededBy) {
    Instant now = Instant.now();
    build.cancelRequestedAt = now;
    build.cancelReason = reason;
    build.updatedAt = now;
    outbox.enqueue(
        config.topics().buildRequests(),
        Topics.buildRequestKey(build.repoKey, build.refName),
        new BuildCancelRequested(
            build.id.toString(), build.repoKey, build.refName, reason, supersededBy, now));
  }

  /**
   * Applies a worker's report. Idempotent and order-tolerant: a terminal build never changes again,
   * a running build is never moved back to running, and an unknown build is ignored.
   *
   * @return true when the build changed
   */
  @Transactional
  public boolean apply(CloudEvent<?> event) {
    UUID id = BuildIds.uuid(event.subject());
    if (id == null) {
      LOG.warnf("ignoring %s %s: subject is not a build id", event.type(), event.id());
      return false;
    }
    BuildEntity b = builds.findById(id);
    if (b == null) {
      LOG.warnf("ignoring %s %s for unknown build %s", event.type(), event.id(), id);
      return false;
    }
    if (b.status.isTerminal()) {
      return false;
    }
    Instant now = Instant.now();
    Object data = event.data();
    if (data instanceof BuildStarted s) {
      if (b.status != BuildStatus.QUEUED) {
        return false;
      }
      b.status = BuildStatus.RUNNING;
      b.startedAt = s.startedAt() != null ? s.startedAt() : now;
      b.worker = s.worker();
    } else if (data instanceof BuildSucceeded s) {
      b.status = BuildStatus.SUCCEEDED;
      b.version = s.version() != null ? s.version() : b.version;
      b.toolchain = s.toolchain();
      b.artifacts = json(s.artifacts());
      b.stageMillis = json(s.stageMillis());
      if (s.cache() != null) {
        b.cacheHits = s.cache().hits();
        b.cacheMisses = s.cache().misses();
      }
      b.startedAt = b.startedAt != null ? b.startedAt : s.startedAt();
      b.finishedAt = s.finishedAt() != null ? s.finishedAt() : now;
    } else if (data instanceof BuildFailed f) {
      b.status = BuildStatus.FAILED;
      b.errorStage = f.stage();
      b.errorExitCode = f.exitCode();
      b.errorMessage = f.message();
      b.errorLogTail = json(f.logTail());
      b.finishedAt = f.finishedAt() != null ? f.finishedAt() : now;
    } else if (data instanceof BuildCancelled c) {
      b.status = BuildStatus.CANCELLED;
      b.cancelReason = b.cancelReason != null ? b.cancelReason : c.reason();
      b.finishedAt = c.finishedAt() != null ? c.finishedAt() : now;
    } else {
      return false;
    }
    b.updatedAt = now;
    return true;
  }

  /** In its own short transaction: log followers ask from pool threads with no request scope. */
  @Transactional
  public Optional<BuildStatus> statusOf(UUID id) {
    return builds.statusOf(id);
  }

  public BuildEntity get(UUID id) {
    return builds.findByIdOptional(id).orElseThrow(() -> notFound(id));
  }

  private static ApiException notFound(UUID id) {
    return new ApiException.NotFound("no build with id " + id);
  }

  private static BuildRequested requested(BuildEntity b) {
    return new BuildRequested(
        b.id.toString(),
        b.repoId == null ? null : b.repoId.toString(),
        b.repoKey,
        b.cloneUrl,
        b.provider,
        b.ref,
        b.refType,
        b.refName,
        b.commitSha,
        b.version,
        b.appName,
        b.message,
        b.author,
        b.trigger,
        b.createdAt);
  }

  private static String json(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return EventCodec.mapper().writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException("cannot serialise " + value.getClass(), e);
    }
  }

  static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConstraintViolationException cve) {
        String state = cve.getSQLState();
        return state == null || state.equals("23505");
      }
    }
    return false;
  }
}

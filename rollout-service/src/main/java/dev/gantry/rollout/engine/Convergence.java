package dev.gantry.rollout.engine;

import dev.gantry.rollout.router.Cancellation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs the second half of every input (ADR 0006 §2) off the thread that stored it: each app has a
 * lane that runs its converges one after another, apps run in parallel, and converges asked for
 * while one runs are coalesced into one more, which reads the newest stored state anyway. So a
 * canary that takes minutes to become ready holds up neither the Kafka consumer nor the timer nor
 * another app's rollback.
 *
 * <p>Each lane has a generation. {@link #supersede} raises it when a stored change takes the canary
 * away (a rollback, an abort); a converge asks its {@link Cancellation} whether the generation it
 * started at is still current, so its wait for a version to become ready gives way at once and the
 * next converge carries out the rollback.
 */
final class Convergence implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Convergence.class);

  /** What a lane runs. Neither may throw for a router that is behind: that is retried later. */
  interface Work {
    void converge(String app, Cancellation cancellation);

    void publish(String app);
  }

  private final Work work;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "rollout-converge-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;

  Convergence(Work work) {
    this.work = work;
  }

  /** One app's queue: at most one thread drains it at a time. Guarded by itself. */
  private static final class Lane {
    private boolean running;
    private boolean convergeWanted;
    private boolean publishWanted;

    /** Completed by the next converge that starts; null when nobody waits for one. */
    private CompletableFuture<Void> next;

    private volatile long generation;
  }

  /**
   * Asks for a converge of {@code app} that reads the stored state as it is now or later.
   *
   * @return completed once such a converge has run (whether the router followed or not)
   */
  CompletableFuture<Void> converge(String app) {
    if (closed) {
      return CompletableFuture.completedFuture(null); // stopping: the next start converges
    }
    Lane lane = lane(app);
    synchronized (lane) {
      lane.convergeWanted = true;
      if (lane.next == null) {
        lane.next = new CompletableFuture<>();
      }
      CompletableFuture<Void> done = lane.next;
      start(app, lane);
      return done;
    }
  }

  /** Asks for the app's pending events to be published; a converge does that too. */
  void publish(String app) {
    Lane lane = lane(app);
    synchronized (lane) {
      lane.publishWanted = true;
      start(app, lane);
    }
  }

  /** A stored change took the canary away: a converge still waiting for it gives way. */
  void supersede(String app) {
    Lane lane = lane(app);
    synchronized (lane) {
      lane.generation++;
    }
  }

  /**
   * Stops taking work, makes every wait for a version give way and waits for the lanes to finish
   * what they run.
   */
  @Override
  public void close() {
    closed = true;
    threads.shutdown();
    try {
      if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("converges still running after 10 s; stopping without them");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      synchronized (lane) {
        if (lane.next != null) {
          waiting.add(lane.next);
          lane.next = null;
        }
      }
    }
    waiting.forEach(f -> f.complete(null));
  }

  /** Waits at most {@code limit} for {@code converged}; false when it took longer. */
  static boolean await(CompletableFuture<Void> converged, Duration limit) {
    try {
      converged.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private Lane lane(String app) {
    return lanes.computeIfAbsent(app, a -> new Lane());
  }

  /** Holds the lane's monitor. */
  private void start(String app, Lane lane) {
    if (lane.running || closed) {
      return;
    }
    lane.running = true;
    try {
      threads.execute(() -> drain(app, lane));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      lane.running = false; // closing
    }
  }

  private void drain(String app, Lane lane) {
    while (true) {
      boolean converge;
      CompletableFuture<Void> done;
      long generation;
      synchronized (lane) {
        if (closed || (!lane.convergeWanted && !lane.publishWanted)) {
          lane.running = false;
          return;
        }
        converge = lane.convergeWanted;
        lane.convergeWanted = false;
        lane.publishWanted = false;
        done = converge ? lane.next : null;
        if (converge) {
          lane.next = null;
        }
        generation = lane.generation;
      }
      try {
        if (converge) {
          work.converge(app, () -> closed || lane.generation != generation);
        } else {
          work.publish(app);
        }
      } catch (RuntimeException e) {
        LOG.errorf(e, "converging %s failed; the timer tries again", app);
      } finally {
        if (done != null) {
          done.complete(null);
        }
      }
    }
  }
}

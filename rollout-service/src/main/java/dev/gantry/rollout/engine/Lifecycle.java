package dev.gantry.rollout.engine;

import dev.gantry.rollout.config.RolloutConfig;
import dev.gantry.rollout.messaging.InputConsumer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the engine's two threads: the timer (which first resumes every app where the stored state
 * says it was) and the consumer of build.events and analysis.verdicts. On a graceful stop both
 * stop, then the engine's converges, before the routers stop what they run.
 */
@ApplicationScoped
public class Lifecycle {
  private static final Logger LOG = Logger.getLogger(Lifecycle.class);

  private final RolloutEngine engine;
  private final RolloutConfig config;
  private final String bootstrap;
  private volatile boolean running = true;
  private Thread timer;
  private Thread consumerThread;
  private InputConsumer consumer;

  @Inject
  public Lifecycle(
      RolloutEngine engine,
      RolloutConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    this.engine = engine;
    this.config = config;
    this.bootstrap = bootstrap;
  }

  void start(@Observes StartupEvent startup) {
    timer = new Thread(this::timerLoop, "rollout-timer");
    timer.setDaemon(true);
    timer.start();
    if (config.rollout().consume()) {
      consumer = new InputConsumer(bootstrap, config, engine);
      consumerThread = new Thread(consumer, "rollout-input");
      consumerThread.setDaemon(true);
      consumerThread.start();
    }
  }

  void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
    running = false;
    if (consumer != null) {
      consumer.stop();
      consumerThread.join(10_000);
    }
    timer.interrupt();
    timer.join(10_000);
    engine.close();
  }

  private void timerLoop() {
    try {
      engine.resumeAll();
    } catch (RuntimeException e) {
      LOG.errorf(e, "resuming the apps failed; the timer tries again");
    }
    long sinceResume = 0;
    while (running) {
      try {
        Thread.sleep(config.rollout().timerInterval().toMillis());
        engine.tick();
        // routers that fell behind, each after its own back-off
        engine.settleUnsettled();
        // pending events (the broker was away) are retried every few seconds
        sinceResume += config.rollout().timerInterval().toMillis();
        if (sinceResume >= 5_000) {
          sinceResume = 0;
          engine.publishAllPending();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.errorf(e, "timer tick failed");
      }
    }
  }
}

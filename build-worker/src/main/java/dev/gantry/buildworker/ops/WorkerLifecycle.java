package dev.gantry.buildworker.ops;

import dev.gantry.buildworker.config.WorkerConfig;
import dev.gantry.buildworker.domain.WorkerSettings;
import dev.gantry.buildworker.messaging.WorkerEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Starts this service's worker engine with the application and stops it first on shutdown. */
@ApplicationScoped
public class WorkerLifecycle {
  @Inject WorkerConfig config;
  @Inject MeterRegistry registry;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private volatile WorkerEngine engine;

  void onStart(@Observes StartupEvent event) throws IOException, InterruptedException {
    engine = WorkerEngine.start(settings(), registry);
  }

  void onStop(@Observes ShutdownEvent event) {
    WorkerEngine e = engine;
    if (e != null) {
      e.close();
    }
  }

  public WorkerEngine engine() {
    return engine;
  }

  WorkerSettings settings() {
    WorkerConfig.Worker w = config.worker();
    return new WorkerSettings(
        w.id().orElseGet(WorkerLifecycle::defaultId),
        config.source(),
        bootstrap,
        config.topics().buildRequests(),
        config.topics().buildEvents(),
        w.groupId(),
        w.concurrency(),
        config.shared().root(),
        w.localDir(),
        w.go().binary(),
        w.go().upstreamProxy(),
        w.go().sumdb(),
        w.go().privatePatterns().orElse(null),
        w.buildTimeout(),
        w.killGrace(),
        w.sessionTimeout(),
        config.localMode());
  }

  private static String defaultId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "worker";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}

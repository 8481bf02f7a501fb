package dev.gantry.buildworker.ops;

import dev.gantry.buildworker.messaging.WorkerEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Live while the request loop polls; ready once the toolchain works and the shared root is
 * writable.
 */
public final class WorkerHealth {
  private WorkerHealth() {}

  @Liveness
  @ApplicationScoped
  public static class Live implements HealthCheck {
    @Inject WorkerLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
      WorkerEngine e = lifecycle.engine();
      HealthCheckResponseBuilder b = HealthCheckResponse.named("build-worker requests loop");
      return (e != null && e.live() ? b.up() : b.down()).build();
    }
  }

  @Readiness
  @ApplicationScoped
  public static class Ready implements HealthCheck {
    @Inject WorkerLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
      WorkerEngine e = lifecycle.engine();
      HealthCheckResponseBuilder b = HealthCheckResponse.named("build-worker");
      if (e == null) {
        return b.down().withData("reason", "starting").build();
      }
      boolean writable =
          Files.isWritable(e.settings().sharedRoot()) && Files.isWritable(e.settings().localDir());
      return b.status(writable && e.live())
          .withData("toolchain", e.toolchain().versionLine())
          .withData("sharedRoot", e.settings().sharedRoot().toString())
          .withData("sharedRootWritable", writable)
          .withData("running", e.runningBuilds())
          .withData("capacity", e.settings().concurrency())
          .withData("queued", e.queued())
          .build();
    }
  }
}

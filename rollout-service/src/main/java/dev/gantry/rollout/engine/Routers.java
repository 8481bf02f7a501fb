package dev.gantry.rollout.engine;

import dev.gantry.rollout.config.RolloutConfig;
import dev.gantry.rollout.router.TrafficRouter;
import dev.gantry.rollout.router.local.LocalRouter;
import dev.gantry.rollout.router.local.ProcessBackends;
import dev.gantry.rollout.router.local.WeightedProxy;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The traffic routers this instance offers, by the name apps register with. */
@ApplicationScoped
public class Routers {
  private final Map<String, TrafficRouter> byKind = new ConcurrentHashMap<>();
  private final ProcessBackends processes;
  private final WeightedProxy proxy;

  @Inject
  public Routers(RolloutConfig config, Vertx vertx, Event<ChildCrashed> crashes) {
    RolloutConfig.Router.Local local = config.router().local();
    this.processes =
        new ProcessBackends(
            config.shared().root(),
            local.stateDir(),
            local.healthTimeout(),
            app -> crashes.fire(new ChildCrashed(app)));
    this.proxy = new WeightedProxy(vertx);
    String host = local.host().orElseGet(Routers::hostName);
    byKind.put("local", new LocalRouter(processes, proxy, host));
  }

  public Optional<TrafficRouter> of(String kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  public ProcessBackends processes() {
    return processes;
  }

  public WeightedProxy proxy() {
    return proxy;
  }

  @PreDestroy
  void close() {
    proxy.close();
    processes.close();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** A child of the app exited unasked; the engine applies the app's route again. */
  public record ChildCrashed(String app) {}
}

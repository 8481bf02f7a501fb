package dev.gantry.rollout.router.local;

import dev.gantry.events.rollout.Target;
import dev.gantry.rollout.router.AppRoute;
import dev.gantry.rollout.router.Backend;
import dev.gantry.rollout.router.Cancellation;
import dev.gantry.rollout.router.LocalBackends;
import dev.gantry.rollout.router.LocalBackends.RunningBackend;
import dev.gantry.rollout.router.RouteState;
import dev.gantry.rollout.router.TrafficRouter;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The embedded default: the app's versions run as child processes ({@link LocalBackends}) behind
 * rollout-service's own weighted proxy on the app's port.
 */
public final class LocalRouter implements TrafficRouter {
  private final LocalBackends backends;
  private final WeightedProxy proxy;
  private final String host;

  /**
   * @param host the name monitor-service uses for this machine's host metrics
   */
  public LocalRouter(LocalBackends backends, WeightedProxy proxy, String host) {
    this.backends = backends;
    this.proxy = proxy;
    this.host = host;
  }

  @Override
  public String kind() {
    return "local";
  }

  @Override
  public RouteState apply(AppRoute route, Cancellation cancellation) {
    String app = route.app();
    RunningBackend stable = start(app, route.stable(), route.healthPath(), cancellation);
    RunningBackend canary = start(app, route.canary(), route.healthPath(), cancellation);
    proxy.route(
        app,
        route.listenPort(),
        upstream("stable", stable, route.effectiveStableWeight()),
        upstream("canary", canary, route.effectiveCanaryWeight()));
    Set<String> keep = new LinkedHashSet<>();
    if (stable != null) {
      keep.add(stable.version());
    }
    if (canary != null) {
      keep.add(canary.version());
    }
    backends.retain(app, keep);
    return new RouteState(target("stable", stable), target("canary", canary));
  }

  @Override
  public void remove(String app) {
    proxy.remove(app);
    backends.retain(app, Set.of());
  }

  private RunningBackend start(
      String app, Backend backend, String healthPath, Cancellation cancellation) {
    return backend == null ? null : backends.ensureRunning(app, backend, healthPath, cancellation);
  }

  private static WeightedProxy.Upstream upstream(String track, RunningBackend b, int weight) {
    return b == null
        ? null
        : new WeightedProxy.Upstream(track, b.version(), b.host(), b.port(), weight);
  }

  private Target target(String track, RunningBackend b) {
    if (b == null) {
      return null;
    }
    String base = b.baseUrl();
    return new Target(track, b.version(), base, base + "/debug/pprof", base + "/metrics", host);
  }
}

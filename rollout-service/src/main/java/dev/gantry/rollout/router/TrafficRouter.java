package dev.gantry.rollout.router;

/**
 * Moves an app's traffic between its stable and canary versions. One interface, three
 * implementations: {@code local} (child processes behind rollout-service's own weighted proxy),
 * {@code kubernetes} (Deployments, Services and a Gateway API HTTPRoute) and {@code nginx}.
 *
 * <p>{@link #apply} is declarative and idempotent: it brings the world to the route it is given,
 * whatever it was before, so a restarted rollout-service applies the stored state again and neither
 * repeats a weight change nor loses one. Weights are absolute; starting what runs already, or
 * stopping what is gone, does nothing.
 */
public interface TrafficRouter {

  /** {@code local}, {@code kubernetes} or {@code nginx}: the value apps register with. */
  String kind();

  /**
   * Runs the route's versions, waits until each is ready (its health endpoint answers, or its
   * Deployment is available), then sets the weights. A version no longer in the route is stopped
   * after the weights have moved away from it.
   *
   * @param cancellation asked while the router waits for a version to become ready: when it says
   *     so, the router stops waiting, stops what it started and throws {@link
   *     RouterException#cancelled}
   * @return where each track serves now
   * @throws RouterException when a version cannot be started or does not become ready in time; the
   *     weights are then left as they were
   */
  RouteState apply(AppRoute route, Cancellation cancellation);

  /** {@link #apply(AppRoute, Cancellation)}, waiting as long as it takes. */
  default RouteState apply(AppRoute route) {
    return apply(route, Cancellation.NONE);
  }

  /** Stops everything this router runs or routes for {@code app}. */
  void remove(String app);
}

package dev.gantry.rollout.router;

import java.util.Map;

/**
 * What should serve one app: its stable version at {@code 100 - canaryWeight} percent and its
 * canary at {@code canaryWeight} percent.
 *
 * @param healthPath the path that answers 2xx once a version is ready, e.g. {@code /healthz}
 * @param listenPort where the app's traffic arrives (the local proxy's or nginx's port); 0 where
 *     the router does not listen itself (kubernetes)
 * @param options router-specific settings registered with the app, e.g. {@code namespace}, {@code
 *     replicas} or {@code gateway} for kubernetes
 * @param stable the version serving now; null before an app's first deploy has finished
 * @param canary the version being rolled out; null when no rollout is running
 * @param canaryWeight 0 to 100; when {@code stable} is null the canary takes all traffic
 */
public record AppRoute(
    String app,
    String healthPath,
    int listenPort,
    Map<String, String> options,
    Backend stable,
    Backend canary,
    int canaryWeight) {

  public AppRoute {
    options = options == null ? Map.of() : Map.copyOf(options);
    if (canaryWeight < 0 || canaryWeight > 100) {
      throw new IllegalArgumentException("canaryWeight must be 0 to 100, was " + canaryWeight);
    }
    if (stable == null && canary == null && canaryWeight != 0) {
      throw new IllegalArgumentException("nothing to route " + canaryWeight + " % to");
    }
  }

  /** The canary's effective share: all of it when there is no stable version. */
  public int effectiveCanaryWeight() {
    if (canary == null) {
      return 0;
    }
    return stable == null ? 100 : canaryWeight;
  }

  public int effectiveStableWeight() {
    return stable == null ? 0 : 100 - effectiveCanaryWeight();
  }
}

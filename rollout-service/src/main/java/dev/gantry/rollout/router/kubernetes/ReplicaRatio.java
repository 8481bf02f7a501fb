package dev.gantry.rollout.router.kubernetes;

/**
 * Weights as replica counts, for clusters without a Gateway: one Service selects both tracks, so
 * each ready pod takes about the same share of connections.
 *
 * <p>The stable track keeps its full count {@code s} throughout, so that an abort or a rollback
 * never waits for a pod to start; the canary gets the count {@code c} whose share {@code c / (s +
 * c)} is closest to the weight (ties go to fewer pods), searched up to {@code 9 s} (a 90 % share).
 * Two exceptions: a weight above 0 gets at least one canary pod, or a small step would route
 * nothing to the canary; and 100 % gives the canary {@code s} pods and {@linkplain #selectedTrack
 * points the Service at the canary track alone} — the stable pods keep running outside it, and
 * pointing it back sends them their traffic again at once. Weight 0 (and a route without a canary)
 * points it at the stable track alone, so that an abort takes effect before the canary's pods are
 * gone, and means 0 canary pods. With the default 4 stable pods, 5 % and 25 % give one canary pod
 * (20 %), 50 % gives four.
 */
final class ReplicaRatio {
  private ReplicaRatio() {}

  /** The canary's replica count for {@code weight} percent next to {@code stable} stable pods. */
  static int canaryReplicas(int stable, int weight) {
    if (weight <= 0) {
      return 0;
    }
    if (weight >= 100) {
      return stable;
    }
    int best = 1;
    double bestError = Double.MAX_VALUE;
    for (int c = 1; c <= 9 * stable; c++) {
      double error = Math.abs(100.0 * c / (stable + c) - weight);
      if (error < bestError - 1e-9) {
        best = c;
        bestError = error;
      }
    }
    return best;
  }

  /**
   * The one track the Service selects, or null for both: the tracks that take traffic. At 100 % the
   * canary alone (stable runs on, outside it); at 0 % or with no canary in the route, stable alone,
   * so that canary pods still being removed take no request.
   */
  static String selectedTrack(boolean stable, boolean canary, int canaryWeight) {
    if (canary && (!stable || canaryWeight >= 100)) {
      return "canary";
    }
    if (stable && (!canary || canaryWeight <= 0)) {
      return "stable";
    }
    return null;
  }

  /**
   * With a Gateway the weights are exact, so the canary only needs enough pods for its share of the
   * stable track's load: {@code ceil(stable × weight / 100)}, at least one while it is in the route
   * so that a step back up does not wait for a pod.
   */
  static int canaryReplicasBehindGateway(int stable, int weight) {
    return Math.max(1, (int) Math.ceil(stable * weight / 100.0));
  }
}

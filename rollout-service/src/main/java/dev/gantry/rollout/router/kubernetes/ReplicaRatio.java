package dev.gantry.rollout.router.kubernetes;

/**
 * Weights as replica counts, for clusters without a Gateway: one Service selects both tracks, so
 * each ready pod takes about the same share of connections.
 *
 * <p>The stable track keeps its full count {@code s}; the canary gets the count {@code c} whose
 * share {@code c / (s + c)} is closest to the weight (ties go to fewer pods), searched up to {@code
 * 9 s} (a 90 % share). Two exceptions: a weight above 0 gets at least one canary pod, or a small
 * step would route nothing to the canary; and 100 % scales the stable track to 0, the only way to
 * send it nothing. Weight 0 means 0 canary pods. With the default 4 stable pods, 5 % and 25 % give
 * one canary pod (20 %), 50 % gives four.
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

  /** The stable track's replica count: all of them, except at 100 % to the canary. */
  static int stableReplicas(int stable, int canaryWeight) {
    return canaryWeight >= 100 ? 0 : stable;
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

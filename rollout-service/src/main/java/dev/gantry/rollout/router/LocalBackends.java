package dev.gantry.rollout.router;

import java.util.Set;

/**
 * Runs app versions as processes on this host, from the binaries in the artifact store. The local
 * router puts its own weighted proxy in front of them; the nginx router puts nginx there.
 */
public interface LocalBackends {

  /**
   * Starts {@code backend} for {@code app} unless it runs already (a process left by an earlier
   * rollout-service is adopted when it still answers), and returns once its health endpoint
   * answers.
   *
   * @param cancellation asked while it waits for the health endpoint: a start that is asked to give
   *     way is stopped and {@link RouterException#cancelled} thrown
   * @throws RouterException when it cannot be started or does not become healthy in time
   */
  RunningBackend ensureRunning(
      String app, Backend backend, String healthPath, Cancellation cancellation);

  /** {@link #ensureRunning(String, Backend, String, Cancellation)}, waiting as long as it takes. */
  default RunningBackend ensureRunning(String app, Backend backend, String healthPath) {
    return ensureRunning(app, backend, healthPath, Cancellation.NONE);
  }

  /** Stops every process of {@code app} whose version is not in {@code versions}. */
  void retain(String app, Set<String> versions);

  /** A version that runs, and where it listens. */
  record RunningBackend(String version, String host, int port, long pid) {
    public String baseUrl() {
      return "http://" + host + ":" + port;
    }
  }
}

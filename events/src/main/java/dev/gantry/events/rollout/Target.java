package dev.gantry.events.rollout;

/**
 * Where one track of an app serves during a step, for monitor-service to scrape.
 *
 * @param track {@code canary} or {@code stable}
 * @param baseUrl the HTTP base of the running version, e.g. {@code http://127.0.0.1:41234}
 * @param pprofUrl the Go pprof base, e.g. {@code http://127.0.0.1:41234/debug/pprof}; null when the
 *     app does not expose it
 * @param metricsUrl the Prometheus endpoint; null when the app does not expose it
 * @param host the host (or node) it runs on, for host metrics
 */
public record Target(
    String track,
    String version,
    String baseUrl,
    String pprofUrl,
    String metricsUrl,
    String host) {}

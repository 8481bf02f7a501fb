package dev.gantry.monitor.scrape;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;

/**
 * How loaded a target's host is: the 1-minute load average per logical CPU, from OSHI for this
 * machine and from the host's node_exporter otherwise. A host that cannot be read is null: it only
 * disables the host guard, it does not make the sample missing. Readings are shared by the targets
 * of one host for {@code maxAge}.
 */
public final class HostProbe {
  private record Reading(Double loadPerCore, long atNanos) {}

  private final Fetcher fetcher;
  private final String nodeExporterTemplate;
  private final int maxBytes;
  private final Set<String> localNames;
  private final long maxAgeNanos;
  private final Map<String, Reading> cache = new ConcurrentHashMap<>();
  private volatile CentralProcessor cpu;

  /**
   * @param nodeExporterTemplate e.g. {@code http://{host}:9100/metrics}
   */
  public HostProbe(
      Fetcher fetcher,
      String nodeExporterTemplate,
      int maxBytes,
      List<String> localNames,
      Duration maxAge) {
    this.fetcher = fetcher;
    this.nodeExporterTemplate = nodeExporterTemplate;
    this.maxBytes = maxBytes;
    this.localNames = new HashSet<>(localNames);
    try {
      this.localNames.add(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      // the configured names still count as local
    }
    this.maxAgeNanos = maxAge.toNanos();
  }

  public Double loadPerCore(String host) throws InterruptedException {
    if (host == null || host.isBlank()) {
      return null;
    }
    Reading cached = cache.get(host);
    long now = System.nanoTime();
    if (cached != null && now - cached.atNanos() < maxAgeNanos) {
      return cached.loadPerCore();
    }
    Double load = localNames.contains(host) ? local() : nodeExporter(host);
    cache.put(host, new Reading(load, now));
    return load;
  }

  private Double local() {
    try {
      if (cpu == null) {
        cpu = new SystemInfo().getHardware().getProcessor();
      }
      double load = cpu.getSystemLoadAverage(1)[0];
      int cores = cpu.getLogicalProcessorCount();
      return load < 0 || cores <= 0 ? null : load / cores;
    } catch (RuntimeException | LinkageError e) {
      // no native access on this platform: no host guard, but the scrape goes on
      return null;
    }
  }

  private Double nodeExporter(String host) throws InterruptedException {
    try {
      List<PromText.Series> page =
          PromText.parse(fetcher.get(nodeExporterTemplate.replace("{host}", host), maxBytes));
      Double load = RequestCounts.sum(page, "node_load1");
      long cores =
          page.stream()
              .filter(s -> s.name().equals("node_cpu_seconds_total"))
              .filter(s -> "idle".equals(s.labels().get("mode")))
              .count();
      return load == null || cores == 0 ? null : load / cores;
    } catch (Fetcher.FetchFailed | PromText.Unparsable e) {
      return null;
    }
  }
}

package dev.gantry.monitor.scrape;

import dev.gantry.events.rollout.Target;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ready pods behind a target of the Kubernetes router. rollout-service announces each track as
 * its Service ({@code http://<app>-<track>.<namespace>.svc.cluster.local:<port>}), which balances
 * over its pods: scraping it would read a different pod each time and mix their counters. Each pod
 * the router labelled for that app, track and version is scraped on its own instead, with its node
 * as its host.
 */
public final class PodTargets {
  // the labels rollout-service's KubernetesResources puts on the pods it runs
  static final String NAME = "app.kubernetes.io/name";
  static final String TRACK = "gantry.dev/track";
  static final String VERSION = "gantry.dev/version";

  /** Listing the pods failed; the message names the namespace and selector, never credentials. */
  public static final class DiscoveryFailed extends Exception {
    DiscoveryFailed(String message) {
      super(message);
    }
  }

  /** Where a Service target's pods are, as its name says. */
  public record Service(String namespace, Map<String, String> selector, int port) {}

  private final KubernetesClient client;
  private final String serviceDomain;

  /**
   * @param serviceDomain the cluster's Service domain, e.g. {@code svc.cluster.local}
   */
  public PodTargets(KubernetesClient client, String serviceDomain) {
    this.client = client;
    this.serviceDomain = serviceDomain.startsWith(".") ? serviceDomain : "." + serviceDomain;
  }

  /** The Service a target names, or empty when it is not one of the Kubernetes router's. */
  public Optional<Service> serviceOf(Target target) {
    URI base;
    try {
      base = URI.create(target.baseUrl());
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
    String host = base.getHost();
    if (host == null || !host.endsWith(serviceDomain) || target.track() == null) {
      return Optional.empty();
    }
    String[] parts = host.substring(0, host.length() - serviceDomain.length()).split("\\.");
    String suffix = "-" + target.track();
    if (parts.length != 2 || !parts[0].endsWith(suffix) || target.version() == null) {
      return Optional.empty();
    }
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(NAME, parts[0].substring(0, parts[0].length() - suffix.length()));
    selector.put(TRACK, target.track());
    selector.put(VERSION, versionLabel(target.version()));
    int port = base.getPort() > 0 ? base.getPort() : 80;
    return Optional.of(new Service(parts[1], selector, port));
  }

  /** One target per ready pod of the Service, in name order so that rounds compare alike. */
  public List<Target> ready(Target target, Service service) throws DiscoveryFailed {
    List<Pod> pods;
    try {
      pods =
          client
              .pods()
              .inNamespace(service.namespace())
              .withLabels(service.selector())
              .list()
              .getItems();
    } catch (KubernetesClientException e) {
      throw new DiscoveryFailed(
          "cannot list pods "
              + service.selector()
              + " in namespace "
              + service.namespace()
              + ": HTTP "
              + e.getCode());
    }
    return pods.stream()
        .filter(PodTargets::isReady)
        .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
        .map(p -> podTarget(target, p, service.port()))
        .toList();
  }

  static boolean isReady(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
      return false;
    }
    String ip = pod.getStatus().getPodIP();
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return ip != null
        && !ip.isBlank()
        && conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Target podTarget(Target service, Pod pod, int servicePort) {
    String ip = pod.getStatus().getPodIP();
    String base =
        "http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port(pod, servicePort);
    // the node's address reaches its node_exporter; its name may not resolve from here
    String hostIp = pod.getStatus().getHostIP();
    String host = hostIp != null && !hostIp.isBlank() ? hostIp : pod.getSpec().getNodeName();
    return new Target(
        service.track(),
        service.version(),
        base,
        rebase(service.pprofUrl(), base),
        rebase(service.metricsUrl(), base),
        host);
  }

  /** The container port the router names {@code http}; else the Service's, which it mirrors. */
  private static int port(Pod pod, int servicePort) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return servicePort;
    }
    return pod.getSpec().getContainers().stream()
        .flatMap(
            c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream())
        .filter(p -> "http".equals(p.getName()) && p.getContainerPort() != null)
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElse(servicePort);
  }

  private static String rebase(String url, String base) {
    if (url == null) {
      return null;
    }
    URI u = URI.create(url);
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    return base + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  /**
   * The version as rollout-service writes it into a label value (its {@code
   * KubernetesNames.versionLabel}; the services share no code but {@code events/}): {@code +}
   * becomes {@code _}, cut to 63 characters, trimmed to end with a letter or digit.
   */
  static String versionLabel(String version) {
    String label = version.replace('+', '_');
    if (label.length() > 63) {
      label = label.substring(0, 63);
    }
    int end = label.length();
    while (end > 0 && !Character.isLetterOrDigit(label.charAt(end - 1))) {
      end--;
    }
    return label.substring(0, end);
  }
}

package dev.gantry.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a rendered overlay's NetworkPolicies let a pod open a TCP connection, by the rules of the
 * NetworkPolicy API: a pod selected by no policy with Egress is not isolated; one that is may
 * connect where some rule of some policy selecting it allows both the peer and the port. What a CNI
 * really enforces (whether an ipBlock matches pod addresses, what happens to a Service's address
 * before the policy sees it) needs a cluster; peers are given here as they are after the Service: a
 * pod, or an address.
 */
final class NetworkPolicies {

  /** Where a connection goes: a pod (namespace and labels) or an address outside the pods. */
  record Destination(String namespace, Map<String, String> labels, String address) {

    static Destination pod(String namespace, Map<String, String> labels) {
      return new Destination(namespace, labels, null);
    }

    static Destination address(String ipv4) {
      return new Destination(null, Map.of(), ipv4);
    }
  }

  private NetworkPolicies() {}

  static boolean allowsEgress(
      Manifests m, String namespace, Map<String, String> from, Destination to, int port) {
    List<NetworkPolicy> isolating =
        m.all(NetworkPolicy.class).stream()
            .filter(np -> namespace.equals(np.getMetadata().getNamespace()))
            .filter(np -> ManifestChecks.matches(np.getSpec().getPodSelector(), from))
            .filter(np -> np.getSpec().getPolicyTypes().contains("Egress"))
            .toList();
    if (isolating.isEmpty()) {
      return true;
    }
    for (NetworkPolicy np : isolating) {
      for (NetworkPolicyEgressRule rule : np.getSpec().getEgress()) {
        boolean portOk =
            rule.getPorts().isEmpty() || rule.getPorts().stream().anyMatch(p -> allows(p, port));
        boolean peerOk =
            rule.getTo().isEmpty()
                || rule.getTo().stream().anyMatch(peer -> matches(m, namespace, peer, to));
        if (portOk && peerOk) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a pod in {@code namespace} with labels {@code to} accepts a connection on {@code port}
   * from {@code from}: the same rules, on the ingress side.
   */
  static boolean allowsIngress(
      Manifests m, String namespace, Map<String, String> to, Destination from, int port) {
    List<NetworkPolicy> isolating =
        m.all(NetworkPolicy.class).stream()
            .filter(np -> namespace.equals(np.getMetadata().getNamespace()))
            .filter(np -> ManifestChecks.matches(np.getSpec().getPodSelector(), to))
            .filter(np -> np.getSpec().getPolicyTypes().contains("Ingress"))
            .toList();
    if (isolating.isEmpty()) {
      return true;
    }
    for (NetworkPolicy np : isolating) {
      for (NetworkPolicyIngressRule rule : np.getSpec().getIngress()) {
        boolean portOk =
            rule.getPorts().isEmpty() || rule.getPorts().stream().anyMatch(p -> allows(p, port));
        boolean peerOk =
            rule.getFrom().isEmpty()
                || rule.getFrom().stream().anyMatch(peer -> matches(m, namespace, peer, from));
        if (portOk && peerOk) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean allows(NetworkPolicyPort rule, int port) {
    if (rule.getProtocol() != null && !rule.getProtocol().equals("TCP")) {
      return false;
    }
    IntOrString p = rule.getPort();
    if (p == null) {
      return true;
    }
    if (p.getIntVal() == null) {
      return false; // a named port: not used by these manifests' egress rules
    }
    int end = rule.getEndPort() == null ? p.getIntVal() : rule.getEndPort();
    return port >= p.getIntVal() && port <= end;
  }

  static boolean matches(
      Manifests m, String policyNamespace, NetworkPolicyPeer peer, Destination to) {
    if (peer.getIpBlock() != null) {
      return to.address() != null && inBlock(peer.getIpBlock(), to.address());
    }
    if (to.namespace() == null) {
      return false;
    }
    if (peer.getNamespaceSelector() != null) {
      if (!ManifestChecks.matches(
          peer.getNamespaceSelector(), namespaceLabels(m, to.namespace()))) {
        return false;
      }
    } else if (!policyNamespace.equals(to.namespace())) {
      return false;
    }
    return peer.getPodSelector() == null
        || ManifestChecks.matches(peer.getPodSelector(), to.labels());
  }

  /** The labels a namespace has: its own from the overlay, and the one Kubernetes always sets. */
  private static Map<String, String> namespaceLabels(Manifests m, String namespace) {
    Map<String, String> labels = new HashMap<>();
    m.all(Namespace.class).stream()
        .filter(ns -> ns.getMetadata().getName().equals(namespace))
        .filter(ns -> ns.getMetadata().getLabels() != null)
        .forEach(ns -> labels.putAll(ns.getMetadata().getLabels()));
    labels.put("kubernetes.io/metadata.name", namespace);
    return labels;
  }

  private static boolean inBlock(IPBlock block, String address) {
    return inCidr(block.getCidr(), address)
        && block.getExcept().stream().noneMatch(e -> inCidr(e, address));
  }

  private static boolean inCidr(String cidr, String address) {
    String[] parts = cidr.split("/");
    int bits = Integer.parseInt(parts[1]);
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    return (ipv4(parts[0]) & mask) == (ipv4(address) & mask);
  }

  private static long ipv4(String address) {
    long value = 0;
    for (String octet : address.split("\\.")) {
      value = (value << 8) | Integer.parseInt(octet);
    }
    return value;
  }
}

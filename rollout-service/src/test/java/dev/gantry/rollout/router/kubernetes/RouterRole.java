package dev.gantry.rollout.router.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What rollout-service's ServiceAccount may do, as deploy/kubernetes gives it: the rules of each
 * Role in {@link #RBAC} that a RoleBinding there binds to the account the rollout-service
 * Deployment runs as, in the RoleBinding's namespace; and the namespace the router is configured to
 * deploy to. Read from the repository as text, since deploy/kubernetes is no dependency of this
 * module.
 */
final class RouterRole {

  static final String RBAC = "deploy/kubernetes/base/rbac/rollout-service.yaml";
  static final String SERVICE = "deploy/kubernetes/base/services/rollout-service.yaml";

  /** Surefire runs a module's tests in the module's directory, a child of the repository. */
  static final Path REPO = Path.of("").toAbsolutePath().resolve("..").normalize();

  private final String routerNamespace;
  private final Map<String, List<PolicyRule>> rulesByNamespace;

  private RouterRole(String routerNamespace, Map<String, List<PolicyRule>> rulesByNamespace) {
    this.routerNamespace = routerNamespace;
    this.rulesByNamespace = rulesByNamespace;
  }

  static RouterRole read(Path repo) {
    List<HasMetadata> service = parse(repo.resolve(SERVICE));
    ConfigMap config = named(service, ConfigMap.class, "rollout-service");
    String routerNamespace = config.getData().get("GANTRY_ROUTER_KUBERNETES_NAMESPACE");
    assertThat(routerNamespace)
        .as("GANTRY_ROUTER_KUBERNETES_NAMESPACE in ConfigMap rollout-service of %s", SERVICE)
        .isNotBlank();
    Deployment deployment = named(service, Deployment.class, "rollout-service");
    String account =
        Objects.requireNonNullElse(
            deployment.getSpec().getTemplate().getSpec().getServiceAccountName(), "default");
    String accountNamespace = deployment.getMetadata().getNamespace();

    List<HasMetadata> rbac = parse(repo.resolve(RBAC));
    Map<String, List<PolicyRule>> rules = new LinkedHashMap<>();
    for (RoleBinding binding : all(rbac, RoleBinding.class)) {
      String namespace = binding.getMetadata().getNamespace();
      boolean bindsTheAccount =
          binding.getSubjects().stream()
              .anyMatch(
                  s ->
                      s.getKind().equals("ServiceAccount")
                          && s.getName().equals(account)
                          && accountNamespace.equals(s.getNamespace()));
      if (!bindsTheAccount || !binding.getRoleRef().getKind().equals("Role")) {
        continue;
      }
      for (Role role : all(rbac, Role.class)) {
        if (role.getMetadata().getName().equals(binding.getRoleRef().getName())
            && namespace.equals(role.getMetadata().getNamespace())) {
          rules.computeIfAbsent(namespace, n -> new ArrayList<>()).addAll(role.getRules());
        }
      }
    }
    return new RouterRole(routerNamespace, rules);
  }

  /** Where the router puts an app that names no {@code namespace} of its own. */
  String routerNamespace() {
    return routerNamespace;
  }

  boolean allows(RbacRequest request) {
    return request.isResource()
        && rulesByNamespace.getOrDefault(request.namespace(), List.of()).stream()
            .anyMatch(rule -> allows(rule, request));
  }

  /** One line for each distinct request (by verb, resource and namespace) no rule allows. */
  List<String> notGranted(Collection<RbacRequest> requests) {
    Set<String> lines = new TreeSet<>();
    for (RbacRequest request : requests) {
      if (!allows(request)) {
        lines.add(request + ": not granted by " + RBAC);
      }
    }
    return List.copyOf(lines);
  }

  /** One line for each group/resource of a bound rule that none of the requests was for. */
  List<String> notExercised(Collection<RbacRequest> requests) {
    Set<String> lines = new TreeSet<>();
    rulesByNamespace.forEach(
        (namespace, rules) -> {
          for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
              for (String resource : rule.getResources()) {
                boolean sent =
                    requests.stream()
                        .filter(r -> r.isResource() && namespace.equals(r.namespace()))
                        .anyMatch(
                            r ->
                                matches(List.of(group), r.group())
                                    && matchesResource(List.of(resource), r.resource()));
                if (!sent) {
                  lines.add(
                      (group.isEmpty() ? "\"\"" : group)
                          + "/"
                          + resource
                          + " in "
                          + namespace
                          + ": granted by "
                          + RBAC
                          + ", but the router sent no request for it");
                }
              }
            }
          }
        });
    return List.copyOf(lines);
  }

  /**
   * Kubernetes' rule matching: "*" stands for any group, resource or verb, and a star before a
   * subresource for that subresource of any resource; resourceNames, when given, restrict the rule
   * to requests that name one of them.
   */
  private static boolean allows(PolicyRule rule, RbacRequest request) {
    List<String> names = rule.getResourceNames();
    return matches(rule.getApiGroups(), request.group())
        && matchesResource(rule.getResources(), request.resource())
        && matches(rule.getVerbs(), request.verb())
        && (names == null || names.isEmpty() || names.contains(request.name()));
  }

  private static boolean matches(List<String> granted, String value) {
    return granted != null && (granted.contains("*") || granted.contains(value));
  }

  private static boolean matchesResource(List<String> granted, String resource) {
    int slash = resource.indexOf('/');
    return matches(granted, resource)
        || (slash > 0 && granted.contains("*" + resource.substring(slash)));
  }

  private static List<HasMetadata> parse(Path file) {
    assertThat(file)
        .as("%s (the tests run in rollout-service's directory, in the repository)", file)
        .isRegularFile();
    Object parsed;
    try {
      parsed = new KubernetesSerialization().unmarshal(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<HasMetadata> items = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      list.forEach(item -> items.add((HasMetadata) item));
    } else {
      items.add((HasMetadata) parsed);
    }
    return items;
  }

  private static <T extends HasMetadata> List<T> all(List<HasMetadata> items, Class<T> type) {
    return items.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T named(
      List<HasMetadata> items, Class<T> type, String name) {
    return all(items, type).stream()
        .filter(i -> name.equals(i.getMetadata().getName()))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(SERVICE + " has no " + type.getSimpleName() + " " + name));
  }
}

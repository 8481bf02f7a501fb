package dev.gantry.rollout.router.kubernetes;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One HTTP request to the Kubernetes API as RBAC sees it, following the API server's own rule
 * ("Determine the request verb" in Kubernetes' authorization docs, and its RequestInfoFactory):
 * POST create, PUT update, PATCH patch; GET and HEAD get for one object, list for a collection,
 * watch with {@code ?watch=true}; DELETE delete for one object, deletecollection for a collection.
 *
 * @param group the API group, {@code ""} for the core group; null for a non-resource URL such as
 *     {@code /version}, which a Role cannot grant
 * @param resource the plural, with its subresource after a slash ({@code deployments/status}); for
 *     a non-resource URL, the path
 * @param namespace null for a request across all namespaces or to a cluster-wide resource
 * @param name the object named in the path; null for a collection
 */
record RbacRequest(String verb, String group, String resource, String namespace, String name) {

  /** /api/v1/namespaces/{ns}/status and /finalize are the Namespace's own subresources. */
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  static RbacRequest of(String method, String pathAndQuery) {
    URI uri = URI.create(pathAndQuery);
    List<String> parts =
        Arrays.stream(uri.getRawPath().split("/")).filter(p -> !p.isEmpty()).toList();
    String group;
    List<String> rest;
    if (parts.size() > 2 && parts.get(0).equals("api")) {
      group = "";
      rest = parts.subList(2, parts.size());
    } else if (parts.size() > 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      rest = parts.subList(3, parts.size());
    } else {
      return new RbacRequest(method.toLowerCase(Locale.ROOT), null, uri.getRawPath(), null, null);
    }
    String namespace = null;
    if (rest.get(0).equals("namespaces") && rest.size() > 1) {
      namespace = rest.get(1);
      if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
        rest = rest.subList(2, rest.size());
      }
    }
    String name = rest.size() > 1 ? rest.get(1) : null;
    String resource = rest.size() > 2 ? rest.get(0) + "/" + rest.get(2) : rest.get(0);
    String verb =
        switch (method) {
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "GET", "HEAD" ->
              watches(uri.getRawQuery()) ? "watch" : name == null ? "list" : "get";
          case "DELETE" -> name == null ? "deletecollection" : "delete";
          default -> method.toLowerCase(Locale.ROOT);
        };
    return new RbacRequest(verb, group, resource, namespace, name);
  }

  boolean isResource() {
    return group != null;
  }

  /** {@code <verb> <group>/<resource> in <namespace>}, the core group written as in a Role: "". */
  @Override
  public String toString() {
    if (!isResource()) {
      return verb + " " + resource + " (not a resource: no Role can grant it)";
    }
    return verb
        + " "
        + (group.isEmpty() ? "\"\"" : group)
        + "/"
        + resource
        + " in "
        + (namespace == null ? "all namespaces" : namespace);
  }

  private static boolean watches(String query) {
    if (query == null) {
      return false;
    }
    return Arrays.stream(query.split("&"))
        .anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
  }
}

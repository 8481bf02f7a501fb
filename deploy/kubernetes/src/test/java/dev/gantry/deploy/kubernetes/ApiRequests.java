package dev.gantry.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Which HTTP requests fabric8 sends for a service's Kubernetes API calls, and so which RBAC grants
 * they need: each call is sent to the mock server, which records the requests. The mock server
 * enforces no RBAC; the verb of each request follows from Kubernetes' own rule (method, and whether
 * the path names one object or a collection). Whether a real API server then admits them needs a
 * cluster.
 */
final class ApiRequests {

  /**
   * One call: {@code prepare} puts the server in the state the service meets (not recorded), {@code
   * call} is what the service does (recorded).
   */
  record Call(String where, Consumer<KubernetesClient> prepare, Consumer<KubernetesClient> call) {}

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private int taken;

  ApiRequests(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
    this.taken = server.getRequestCount();
  }

  /** Resource ({@code plural.group}) → the verbs the calls need, as ManifestChecks.grants says. */
  Map<String, Set<String>> needed(List<Call> calls) throws InterruptedException {
    Map<String, Set<String>> needed = new TreeMap<>();
    for (Call call : calls) {
      for (Grant grant : grantsOf(call)) {
        needed.computeIfAbsent(grant.resource(), r -> new TreeSet<>()).add(grant.verb());
      }
    }
    return needed;
  }

  List<Grant> grantsOf(Call call) throws InterruptedException {
    call.prepare().accept(client);
    drain();
    call.call().accept(client);
    List<Grant> grants = new ArrayList<>();
    for (RecordedRequest request : drain()) {
      grants.add(Grant.of(request.getMethod(), request.getPath()));
    }
    assertThat(grants).as(call.where() + " sends a request").isNotEmpty();
    return grants;
  }

  /** The requests received since the last drain; the calls are synchronous, so all are in. */
  private List<RecordedRequest> drain() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    while (taken < server.getRequestCount()) {
      requests.add(server.takeRequest());
      taken++;
    }
    return requests;
  }

  /** A resource ({@code plural.group}, or {@code plural} in the core group) and a verb. */
  record Grant(String resource, String verb) {

    /**
     * Kubernetes' rule ("Determine the request verb" in its authorization docs): POST create, PUT
     * update, PATCH patch; GET get for one object, list for a collection, watch with ?watch=true;
     * DELETE delete for one object, deletecollection for a collection.
     */
    static Grant of(String method, String pathAndQuery) {
      int q = pathAndQuery.indexOf('?');
      String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
      String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
      String[] s = path.substring(1).split("/");
      // /api/v1/namespaces/ns/plural[/name[/sub]] or /apis/group/v/namespaces/ns/plural[/…]
      int at = s[0].equals("api") ? 2 : 3;
      if (s.length < at + 3 || !s[at].equals("namespaces")) {
        throw new IllegalArgumentException("not a namespaced resource request: " + pathAndQuery);
      }
      String group = s[0].equals("api") ? "" : s[1];
      String plural = s[at + 2];
      boolean one = s.length > at + 3;
      String resource =
          (group.isEmpty() ? plural : plural + "." + group)
              + (s.length > at + 4 ? "/" + s[at + 4] : "");
      boolean watch = List.of(query.split("&")).contains("watch=true");
      String verb =
          switch (method) {
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "GET", "HEAD" -> watch ? "watch" : one ? "get" : "list";
            case "DELETE" -> one ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("no RBAC verb for " + method);
          };
      return new Grant(resource, verb);
    }
  }
}

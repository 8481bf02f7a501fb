package dev.gantry.rollout.router.kubernetes;

import static dev.gantry.rollout.router.kubernetes.KubernetesResources.GANTRY;
import static dev.gantry.rollout.router.kubernetes.KubernetesResources.MANAGED_BY;
import static dev.gantry.rollout.router.kubernetes.KubernetesResources.NAME;
import static dev.gantry.rollout.router.kubernetes.KubernetesResources.name;

import dev.gantry.events.rollout.Target;
import dev.gantry.rollout.router.AppRoute;
import dev.gantry.rollout.router.Backend;
import dev.gantry.rollout.router.Cancellation;
import dev.gantry.rollout.router.RouteState;
import dev.gantry.rollout.router.RouterException;
import dev.gantry.rollout.router.TrafficRouter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.ServiceResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each app as two Deployments, {@code <app>-stable} and {@code <app>-canary}, that execute the
 * binary straight from the shared volume, and moves traffic between them through a Gateway API
 * {@code HTTPRoute} when the app names a {@code gateway}, or by their replica ratio behind one
 * Service {@code <app>} when it does not (see {@link ReplicaRatio}). Either way the stable track
 * keeps all of its pods until the canary is promoted, so taking the canary out is one write.
 *
 * <p>App options: {@code namespace} (default from the settings), {@code replicas} (the stable
 * track's pods), {@code gateway} (the parent Gateway, {@code name} or {@code namespace/name}).
 *
 * <p>Writes compare before they write: each object carries a hash of what the router wanted in
 * {@code gantry.dev/applied}, and an object whose hash (and, for a Deployment, replica count) is
 * unchanged is not written again, so applying the same route twice changes no resourceVersion.
 */
public final class KubernetesRouter implements TrafficRouter {
  static final String APPLIED = "gantry.dev/applied";
  private static final List<String> TRACKS = List.of("stable", "canary");
  private static final int CONFLICT_ATTEMPTS = 5;

  private final KubernetesClient client;
  private final KubernetesRouterSettings settings;
  private final KubernetesResources resources;

  /** Namespaces this router has put each app in, beyond the default one, for {@link #remove}. */
  private final Map<String, Set<String>> namespaces = new ConcurrentHashMap<>();

  public KubernetesRouter(KubernetesClient client, KubernetesRouterSettings settings) {
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.resources = new KubernetesResources(settings);
  }

  @Override
  public String kind() {
    return "kubernetes";
  }

  @Override
  public RouteState apply(AppRoute route, Cancellation cancellation) {
    Plan plan = plan(route);
    namespaces.computeIfAbsent(plan.app, a -> ConcurrentHashMap.newKeySet()).add(plan.namespace);
    try {
      if (plan.deployments.isEmpty()) {
        deleteAll(plan.namespace, plan.app); // nothing to route: nothing to run either
        return new RouteState(null, null);
      }
      startVersions(plan, cancellation);
      for (String track : plan.deployments.keySet()) {
        write(resources.trackService(plan.namespace, plan.app, track));
      }
      setWeights(plan);
      for (String track : TRACKS) {
        if (!plan.deployments.containsKey(track)) {
          delete(deployments(plan.namespace).withName(name(plan.app, track)).get());
          delete(services(plan.namespace).withName(name(plan.app, track)).get());
        }
      }
    } catch (KubernetesClientException e) {
      String message = "Kubernetes refused a change for app " + plan.app + ": " + e.getMessage();
      // no answer, a conflict, throttling or a server error may pass; a refused object will not
      int code = e.getCode();
      throw code == 0 || code == 409 || code == 429 || code >= 500
          ? RouterException.transientFailure(message, e)
          : new RouterException(message, e);
    }
    return new RouteState(
        target(plan, "stable", route.stable()), target(plan, "canary", route.canary()));
  }

  /**
   * New versions and more pods first, then waits until all of them are available; what has to
   * shrink waits for {@link #setWeights}. When a Deployment does not become available (or the wait
   * is cancelled), the ones written here go back to what they were (a new one is deleted), so the
   * weights stay as they were.
   */
  private void startVersions(Plan plan, Cancellation cancellation) {
    Map<String, Deployment> previous = new LinkedHashMap<>();
    for (Deployment wanted : plan.deployments.values()) {
      Deployment existing =
          deployments(plan.namespace).withName(wanted.getMetadata().getName()).get();
      if (existing == null
          || !hash(wanted).equals(annotation(existing, APPLIED))
          || replicas(wanted) > replicas(existing)) {
        previous.put(wanted.getMetadata().getName(), existing);
        write(wanted);
      }
    }
    try {
      awaitAvailable(plan, cancellation);
    } catch (RouterException e) {
      previous.forEach(
          (name, before) -> {
            if (before == null) {
              deployments(plan.namespace).withName(name).delete();
            } else {
              write(withoutServerFields(before));
            }
          });
      throw e;
    }
  }

  private void setWeights(Plan plan) {
    int stableWeight = plan.route.effectiveStableWeight();
    int canaryWeight = plan.route.effectiveCanaryWeight();
    if (plan.gateway != null) {
      write(
          resources.httpRoute(
              plan.namespace,
              plan.app,
              plan.gateway,
              plan.deployments.containsKey("stable") ? stableWeight : null,
              plan.deployments.containsKey("canary") ? canaryWeight : null));
      delete(services(plan.namespace).withName(plan.app).get());
    } else {
      String track =
          ReplicaRatio.selectedTrack(
              plan.deployments.containsKey("stable"),
              plan.deployments.containsKey("canary"),
              canaryWeight);
      write(resources.appService(plan.namespace, plan.app, track));
      delete(httpRoutes(plan.namespace).withName(plan.app).get());
    }
    for (Deployment wanted : plan.deployments.values()) {
      write(wanted); // replica decreases; the rest is unchanged and not written again
    }
  }

  private void awaitAvailable(Plan plan, Cancellation cancellation) {
    long deadline = System.nanoTime() + settings.readinessTimeout().toNanos();
    List<String> waiting = new ArrayList<>(plan.deployments.keySet());
    while (true) {
      waiting.removeIf(
          track -> available(deployments(plan.namespace).withName(name(plan.app, track)).get()));
      if (waiting.isEmpty()) {
        return;
      }
      if (cancellation.requested()) {
        throw RouterException.cancelled(
            "stopped waiting for Deployment "
                + plan.namespace
                + "/"
                + name(plan.app, waiting.get(0))
                + ": a newer state of app "
                + plan.app
                + " no longer needs it");
      }
      if (System.nanoTime() >= deadline) {
        Deployment stuck =
            deployments(plan.namespace).withName(name(plan.app, waiting.get(0))).get();
        throw new RouterException(
            "Deployment "
                + plan.namespace
                + "/"
                + name(plan.app, waiting.get(0))
                + " did not become available in "
                + settings.readinessTimeout()
                + " ("
                + describe(stuck)
                + "); the weights were left as they were");
      }
      try {
        // in slices, so that a rollback does not wait out a whole poll interval
        long wakeAt = System.nanoTime() + settings.pollInterval().toNanos();
        while (System.nanoTime() < wakeAt && !cancellation.requested()) {
          Thread.sleep(Math.min(100, Math.max(1, (wakeAt - System.nanoTime()) / 1_000_000)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RouterException("interrupted while waiting for app " + plan.app, e);
      }
    }
  }

  /**
   * What {@code kubectl rollout status} waits for: the controller has seen the latest spec, every
   * pod runs it and is available, and no pod of an older spec is left. A Deployment asked for 0
   * pods is available at once; one that does not exist (any more) is not available.
   */
  static boolean available(Deployment deployment) {
    if (deployment == null) {
      return false;
    }
    int wanted = replicas(deployment);
    if (wanted == 0) {
      return true;
    }
    DeploymentStatus status = deployment.getStatus();
    if (status == null) {
      return false;
    }
    Long generation = deployment.getMetadata().getGeneration();
    if (generation != null
        && (status.getObservedGeneration() == null
            || status.getObservedGeneration() < generation)) {
      return false;
    }
    return count(status.getUpdatedReplicas()) >= wanted
        && count(status.getReadyReplicas()) >= wanted
        && count(status.getAvailableReplicas()) >= wanted
        && (status.getReplicas() == null || status.getReplicas() <= wanted);
  }

  @Override
  public void remove(String app) {
    KubernetesNames.requireApp(app);
    Set<String> in = new TreeSet<>(namespaces.getOrDefault(app, Set.of()));
    in.add(settings.namespace());
    try {
      for (String namespace : in) {
        deleteAll(namespace, app);
      }
    } catch (KubernetesClientException e) {
      throw new RouterException("could not remove app " + app + ": " + e.getMessage(), e);
    }
    namespaces.remove(app);
  }

  /** Routes first, so no traffic is sent to what is deleted next. */
  private void deleteAll(String namespace, String app) {
    Map<String, String> labels = Map.of(NAME, app, MANAGED_BY, GANTRY);
    httpRoutes(namespace).withLabels(labels).delete();
    services(namespace).withLabels(labels).delete();
    deployments(namespace).withLabels(labels).delete();
  }

  /** Everything checked before the first write: a bad name or option creates nothing. */
  private Plan plan(AppRoute route) {
    String app = KubernetesNames.requireApp(route.app());
    Map<String, String> options = route.options();
    String namespace =
        KubernetesNames.requireDnsLabel(
            options.getOrDefault("namespace", settings.namespace()), "namespace");
    String gateway = options.get("gateway");
    if (gateway != null) {
      for (String part : gateway.split("/", -1)) {
        KubernetesNames.requireDnsSubdomain(part, "gateway");
      }
      if (gateway.chars().filter(c -> c == '/').count() > 1) {
        throw new RouterException("gateway must be name or namespace/name, was " + gateway);
      }
    }
    int stableReplicas = replicasOption(options.get("replicas"));
    String healthPath = route.healthPath() == null ? "/healthz" : route.healthPath();
    if (!healthPath.startsWith("/") || healthPath.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new RouterException("health path must be an absolute URL path, was " + healthPath);
    }
    int canaryWeight = route.effectiveCanaryWeight();
    Map<String, Deployment> deployments = new LinkedHashMap<>();
    if (route.stable() != null) {
      // all of its pods, whatever the weight: an abort or a rollback starts none
      deployments.put(
          "stable",
          resources.deployment(
              namespace, app, "stable", route.stable(), healthPath, stableReplicas));
    }
    if (route.canary() != null) {
      int replicas;
      if (route.stable() == null) {
        replicas = stableReplicas;
      } else if (gateway != null) {
        replicas = ReplicaRatio.canaryReplicasBehindGateway(stableReplicas, canaryWeight);
      } else {
        replicas = ReplicaRatio.canaryReplicas(stableReplicas, canaryWeight);
      }
      deployments.put(
          "canary",
          resources.deployment(namespace, app, "canary", route.canary(), healthPath, replicas));
    }
    return new Plan(route, app, namespace, gateway, deployments);
  }

  private int replicasOption(String value) {
    if (value == null) {
      return settings.replicas();
    }
    try {
      int replicas = Integer.parseInt(value);
      if (replicas >= 1 && replicas <= 100) {
        return replicas;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new RouterException("option replicas must be a number from 1 to 100, was " + value);
  }

  private Target target(Plan plan, String track, Backend backend) {
    if (backend == null) {
      return null;
    }
    String host = name(plan.app, track) + "." + plan.namespace + ".svc.cluster.local";
    String baseUrl = "http://" + host + ":" + settings.appPort();
    return new Target(
        track, backend.version(), baseUrl, baseUrl + "/debug/pprof", baseUrl + "/metrics", host);
  }

  /**
   * Creates or updates {@code wanted} unless what is there was written from the same wish. The
   * Deployment controller writes status all the time, which changes the resourceVersion an update
   * is based on: a conflict is read again and retried.
   */
  private <T extends HasMetadata> void write(T wanted) {
    for (int attempt = 1; ; attempt++) {
      try {
        writeOnce(wanted);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == CONFLICT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private <T extends HasMetadata> void writeOnce(T wanted) {
    String hash = hash(wanted);
    T existing = client.resource(wanted).get();
    if (existing != null
        && hash.equals(annotation(existing, APPLIED))
        && replicas(wanted) == replicas(existing)) {
      return;
    }
    Map<String, String> annotations =
        new LinkedHashMap<>(
            Objects.requireNonNullElse(wanted.getMetadata().getAnnotations(), Map.of()));
    annotations.put(APPLIED, hash);
    wanted.getMetadata().setAnnotations(annotations);
    if (existing == null) {
      wanted.getMetadata().setResourceVersion(null);
      client.resource(wanted).create();
    } else {
      wanted.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.resource(wanted).update();
    }
  }

  private void delete(HasMetadata existing) {
    if (existing != null) {
      client.resource(existing).delete();
    }
  }

  /** A hash of labels, annotations and spec, leaving out the hash itself and server fields. */
  private String hash(HasMetadata object) {
    ObjectMeta meta = object.getMetadata();
    Map<String, String> annotations =
        new HashMap<>(Objects.requireNonNullElse(meta.getAnnotations(), Map.of()));
    annotations.remove(APPLIED);
    Map<String, Object> wish = new LinkedHashMap<>();
    wish.put("labels", new TreeMap<>(Objects.requireNonNullElse(meta.getLabels(), Map.of())));
    wish.put("annotations", new TreeMap<>(annotations));
    wish.put("spec", specOf(object));
    String json = client.getKubernetesSerialization().asJson(wish);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object specOf(HasMetadata object) {
    if (object instanceof Deployment d) {
      // replicas are compared on their own: a decrease is written later than the rest
      return new DeploymentBuilder(d).editSpec().withReplicas(null).endSpec().build().getSpec();
    }
    if (object instanceof Service s) {
      return s.getSpec();
    }
    if (object instanceof HTTPRoute r) {
      return r.getSpec();
    }
    throw new IllegalArgumentException("no spec known for " + object.getKind());
  }

  private static Deployment withoutServerFields(Deployment before) {
    return new DeploymentBuilder(before)
        .editMetadata()
        .withResourceVersion(null)
        .withManagedFields(List.of())
        .withUid(null)
        .withCreationTimestamp(null)
        .withGeneration(null)
        .endMetadata()
        .withStatus(null)
        .build();
  }

  private static String annotation(HasMetadata object, String key) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private static int replicas(HasMetadata object) {
    if (object instanceof Deployment d
        && d.getSpec() != null
        && d.getSpec().getReplicas() != null) {
      return d.getSpec().getReplicas();
    }
    return object instanceof Deployment ? 1 : 0;
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }

  private static String describe(Deployment deployment) {
    if (deployment == null) {
      return "it is gone";
    }
    DeploymentStatus status = deployment.getStatus();
    return "wanted "
        + replicas(deployment)
        + ", available "
        + (status == null ? 0 : count(status.getAvailableReplicas()))
        + ", ready "
        + (status == null ? 0 : count(status.getReadyReplicas()));
  }

  private NonNamespaceOperation<Deployment, DeploymentList, RollableScalableResource<Deployment>>
      deployments(String namespace) {
    return client.apps().deployments().inNamespace(namespace);
  }

  private NonNamespaceOperation<Service, ServiceList, ServiceResource<Service>> services(
      String namespace) {
    return client.services().inNamespace(namespace);
  }

  private NonNamespaceOperation<HTTPRoute, HTTPRouteList, Resource<HTTPRoute>> httpRoutes(
      String namespace) {
    return client.resources(HTTPRoute.class, HTTPRouteList.class).inNamespace(namespace);
  }

  private record Plan(
      AppRoute route,
      String app,
      String namespace,
      String gateway,
      Map<String, Deployment> deployments) {}
}

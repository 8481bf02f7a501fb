package dev.gantry.deploy.kubernetes;

import dev.gantry.deploy.kubernetes.ApiRequests.Call;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every Kubernetes API call rollout-service's Kubernetes router makes, written as the same fabric8
 * DSL call it makes, so that RouterRoleTest can send each one to the mock server and see which
 * request (and so which RBAC verb) fabric8 turns it into.
 *
 * <p>Kept by hand from
 * rollout-service/src/main/java/dev/gantry/rollout/router/kubernetes/KubernetesRouter.java (the
 * only class there that holds the client): when the router gains, drops or changes a call, change
 * this list, and the test then demands that the Role grants exactly that. deploy/kubernetes depends
 * on no service module, so the other half lives in rollout-service: its RouterRbacTest drives the
 * real router against a mock server and demands that the Role here grants every request it sent.
 * Together: what the router sends is granted, and nothing else is.
 */
final class RouterApiCalls {

  static final String NAMESPACE = "gantry-apps";

  /** What deleteAll() selects: KubernetesResources.NAME and MANAGED_BY. */
  static final Map<String, String> APP_LABELS =
      Map.of("app.kubernetes.io/name", "shop", "app.kubernetes.io/managed-by", "gantry");

  private RouterApiCalls() {}

  static List<Call> all() {
    List<Call> calls = new ArrayList<>();
    calls.addAll(
        ofKind(
            "Deployment",
            () ->
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("shop-stable")
                    .withNamespace(NAMESPACE)
                    .withLabels(APP_LABELS)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(1)
                    .endSpec()
                    .build(),
            c -> c.apps().deployments().inNamespace(NAMESPACE)));
    calls.addAll(
        ofKind(
            "Service",
            () ->
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName("shop-stable")
                    .withNamespace(NAMESPACE)
                    .withLabels(APP_LABELS)
                    .endMetadata()
                    .withNewSpec()
                    .withSelector(Map.of("app.kubernetes.io/name", "shop"))
                    .addNewPort()
                    .withPort(8080)
                    .withTargetPort(new IntOrString("http"))
                    .endPort()
                    .endSpec()
                    .build(),
            c -> c.services().inNamespace(NAMESPACE)));
    calls.addAll(
        ofKind(
            "HTTPRoute",
            () ->
                new HTTPRouteBuilder()
                    .withNewMetadata()
                    .withName("shop")
                    .withNamespace(NAMESPACE)
                    .withLabels(APP_LABELS)
                    .endMetadata()
                    .withNewSpec()
                    .addNewParentRef()
                    .withName("gateway")
                    .endParentRef()
                    .endSpec()
                    .build(),
            c -> c.resources(HTTPRoute.class, HTTPRouteList.class).inNamespace(NAMESPACE)));
    return calls;
  }

  /**
   * The router treats its three kinds alike (write(), delete() and deleteAll() are generic), so
   * each kind gets the same calls; only Deployments are also deleted by name (startVersions()).
   */
  private static <T extends HasMetadata> List<Call> ofKind(
      String kind,
      Supplier<T> object,
      Function<KubernetesClient, NonNamespaceOperation<T, ?, ? extends Resource<T>>> ops) {
    String name = object.get().getMetadata().getName();
    Consumer<KubernetesClient> absent = c -> c.resource(object.get()).delete();
    Consumer<KubernetesClient> present = c -> c.resource(object.get()).createOr(o -> o.update());
    AtomicReference<String> resourceVersion = new AtomicReference<>();
    List<Call> calls = new ArrayList<>();
    // deployments(ns).withName(..).get(), services(ns)…, httpRoutes(ns)…: apply(),
    // startVersions(), awaitAvailable(), setWeights()
    calls.add(
        new Call(kind + ": withName().get()", present, c -> ops.apply(c).withName(name).get()));
    // writeOnce(): client.resource(wanted).get()
    calls.add(new Call(kind + ": resource().get()", present, c -> c.resource(object.get()).get()));
    // writeOnce(), nothing there yet: client.resource(wanted).create()
    calls.add(
        new Call(kind + ": resource().create()", absent, c -> c.resource(object.get()).create()));
    // writeOnce(), something there: its resourceVersion copied, then client.resource(wanted)
    // .update()
    calls.add(
        new Call(
            kind + ": resource().update()",
            present.andThen(
                c ->
                    resourceVersion.set(
                        c.resource(object.get()).get().getMetadata().getResourceVersion())),
            c -> {
              T wanted = object.get();
              wanted.getMetadata().setResourceVersion(resourceVersion.get());
              c.resource(wanted).update();
            }));
    // delete(existing): client.resource(existing).delete()
    calls.add(
        new Call(kind + ": resource().delete()", present, c -> c.resource(object.get()).delete()));
    if (kind.equals("Deployment")) {
      // startVersions() taking back a new Deployment: deployments(ns).withName(..).delete()
      calls.add(
          new Call(
              kind + ": withName().delete()", present, c -> ops.apply(c).withName(name).delete()));
    }
    // deleteAll(): httpRoutes/services/deployments(ns).withLabels(labels).delete()
    calls.add(
        new Call(
            kind + ": withLabels().delete()",
            present,
            c -> ops.apply(c).withLabels(APP_LABELS).delete()));
    return calls;
  }
}

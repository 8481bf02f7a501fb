package dev.gantry.rollout.router.kubernetes;

import dev.gantry.rollout.router.Backend;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects that run and route one app, as the router wants them; no client calls here. A version
 * or artifact that cannot go into them is refused while building.
 */
final class KubernetesResources {
  static final String NAME = "app.kubernetes.io/name";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String TRACK = "gantry.dev/track";
  static final String VERSION = "gantry.dev/version";
  static final String BUILD_ID = "gantry.dev/build-id";
  static final String COMMIT = "gantry.dev/commit";
  static final String ARTIFACT = "gantry.dev/artifact";
  static final String GANTRY = "gantry";
  static final String SHARED_VOLUME = "gantry-shared";

  private final KubernetesRouterSettings settings;

  KubernetesResources(KubernetesRouterSettings settings) {
    this.settings = settings;
  }

  static String name(String app, String track) {
    return app + "-" + track;
  }

  Deployment deployment(
      String namespace,
      String app,
      String track,
      Backend backend,
      String healthPath,
      int replicas) {
    KubernetesNames.requireArtifact(backend.artifact());
    Map<String, String> selector = selector(app, track);
    Map<String, String> labels = new LinkedHashMap<>(selector);
    labels.put(VERSION, KubernetesNames.versionLabel(backend.version()));
    labels.put(MANAGED_BY, GANTRY);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(VERSION, backend.version());
    annotations.put(ARTIFACT, backend.artifact());
    if (backend.buildId() != null) {
      annotations.put(BUILD_ID, backend.buildId());
    }
    if (backend.commit() != null) {
      annotations.put(COMMIT, backend.commit());
    }
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name(app, track))
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        // the selector cannot change once created: it names the track, never the version
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        // never fewer ready pods than asked for while a version rolls: the stable track keeps
        // serving all of its share during a promotion
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0))
        .withMaxSurge(new IntOrString(1))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(settings.baseImage())
        .withCommand(settings.sharedMountPath() + "/" + backend.artifact())
        .addNewEnv()
        .withName("PORT")
        .withValue(Integer.toString(settings.appPort()))
        .endEnv()
        .addNewPort()
        .withName("http")
        .withContainerPort(settings.appPort())
        .endPort()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath(healthPath)
        .withPort(new IntOrString("http"))
        .endHttpGet()
        .withPeriodSeconds(2)
        .endReadinessProbe()
        .addNewVolumeMount()
        .withName(SHARED_VOLUME)
        .withMountPath(settings.sharedMountPath())
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName(SHARED_VOLUME)
        .withNewPersistentVolumeClaim()
        .withClaimName(settings.sharedClaimName())
        .withReadOnly(true)
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** {@code <app>-<track>}: one track, for the HTTPRoute's backendRefs and for scraping. */
  Service trackService(String namespace, String app, String track) {
    return service(namespace, name(app, track), app, selector(app, track));
  }

  /**
   * {@code <app>}: both tracks, weighted by their replica counts, or only {@code track} (see {@link
   * ReplicaRatio#selectedTrack}).
   */
  Service appService(String namespace, String app, String track) {
    return service(namespace, app, app, track == null ? Map.of(NAME, app) : selector(app, track));
  }

  private Service service(String namespace, String name, String app, Map<String, String> selector) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of(NAME, app, MANAGED_BY, GANTRY))
        .endMetadata()
        .withNewSpec()
        .withSelector(selector)
        .addNewPort()
        .withName("http")
        .withPort(settings.appPort())
        .withTargetPort(new IntOrString("http"))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  /**
   * {@code <app>}: attached to {@code gateway} ({@code name} or {@code namespace/name}), sending
   * each track its weight. A track at 0 % stays listed with weight 0, so the route shows what the
   * rollout holds back.
   */
  HTTPRoute httpRoute(
      String namespace, String app, String gateway, Integer stableWeight, Integer canaryWeight) {
    int slash = gateway.indexOf('/');
    String gatewayNamespace = slash < 0 ? null : gateway.substring(0, slash);
    String gatewayName = gateway.substring(slash + 1);
    List<HTTPBackendRef> refs = new ArrayList<>();
    if (stableWeight != null) {
      refs.add(backendRef(name(app, "stable"), stableWeight));
    }
    if (canaryWeight != null) {
      refs.add(backendRef(name(app, "canary"), canaryWeight));
    }
    return new HTTPRouteBuilder()
        .withNewMetadata()
        .withName(app)
        .withNamespace(namespace)
        .withLabels(Map.of(NAME, app, MANAGED_BY, GANTRY))
        .endMetadata()
        .withNewSpec()
        .addNewParentRef()
        .withName(gatewayName)
        .withNamespace(gatewayNamespace)
        .endParentRef()
        .addNewRule()
        .withBackendRefs(refs)
        .endRule()
        .endSpec()
        .build();
  }

  private HTTPBackendRef backendRef(String service, int weight) {
    return new HTTPBackendRefBuilder()
        .withName(service)
        .withPort(settings.appPort())
        .withWeight(weight)
        .build();
  }

  private static Map<String, String> selector(String app, String track) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(NAME, app);
    selector.put(TRACK, track);
    return selector;
  }
}

package dev.gantry.rollout.router.kubernetes;

import java.time.Duration;
import java.util.Objects;

/**
 * How the kubernetes router runs apps.
 *
 * @param namespace where an app's resources go unless the app's {@code namespace} option says
 *     otherwise
 * @param baseImage the image the binaries run in; it only needs to start a static Go binary, e.g.
 *     {@code gcr.io/distroless/static-debian12}
 * @param sharedClaimName the PersistentVolumeClaim of the shared (NFS) root, mounted read-only
 * @param sharedMountPath where the shared root is mounted in the pods, e.g. {@code /gantry}; a
 *     binary runs as {@code <sharedMountPath>/<artifact>}
 * @param appPort the port every app listens on (passed as {@code PORT}) and its Services expose
 * @param replicas the stable Deployment's replica count unless the app's {@code replicas} option
 *     says otherwise
 * @param readinessTimeout how long {@code apply} waits for Deployments to become available
 * @param pollInterval how often it looks at their status meanwhile
 */
public record KubernetesRouterSettings(
    String namespace,
    String baseImage,
    String sharedClaimName,
    String sharedMountPath,
    int appPort,
    int replicas,
    Duration readinessTimeout,
    Duration pollInterval) {

  public KubernetesRouterSettings {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(baseImage, "baseImage");
    Objects.requireNonNull(sharedClaimName, "sharedClaimName");
    Objects.requireNonNull(sharedMountPath, "sharedMountPath");
    Objects.requireNonNull(readinessTimeout, "readinessTimeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (!KubernetesNames.isDnsLabel(namespace)) {
      throw new IllegalArgumentException("namespace " + namespace + " is not a DNS label");
    }
    if (!sharedMountPath.startsWith("/") || sharedMountPath.length() < 2) {
      throw new IllegalArgumentException(
          "sharedMountPath must be an absolute path, was " + sharedMountPath);
    }
    sharedMountPath =
        sharedMountPath.endsWith("/")
            ? sharedMountPath.substring(0, sharedMountPath.length() - 1)
            : sharedMountPath;
    if (appPort < 1 || appPort > 65535) {
      throw new IllegalArgumentException("appPort must be 1 to 65535, was " + appPort);
    }
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
    }
    if (readinessTimeout.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("readinessTimeout and pollInterval must be positive");
    }
  }
}

package dev.gantry.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-written allow-lists of the spec fields of the two custom resources that have no Java model
 * we can check against: CloudNativePG's {@code Cluster} (postgresql.cnpg.io/v1) and KEDA's {@code
 * ScaledObject} (keda.sh/v1alpha1). Neither project publishes its types to Maven Central.
 *
 * <p>Written from the operators' API references (CloudNativePG 1.22+, KEDA 2.12+ and its Kafka
 * scaler). Every field of the CRD's spec is listed at the top level; below it, only the objects the
 * manifests use are spelt out, and any other object is {@link #ANY}. Where a subtree is a
 * Kubernetes type (resources, the HPA behavior) fabric8's model checks it. This catches a misspelt
 * or misplaced field; it is not a schema validation: types, required fields, enums and what a given
 * operator version really accepts are left to the operator (README.md, "Tests").
 */
final class OperatorSpecs {

  /** What a value in a custom resource's spec may be. */
  sealed interface Shape permits Fields, ListOf, Model, Any {}

  /** An object with exactly these fields known. */
  record Fields(Map<String, Shape> fields) implements Shape {}

  /** A list whose elements have this shape. */
  record ListOf(Shape element) implements Shape {}

  /** A Kubernetes type: parsed into its fabric8 model, whose unknown fields are reported. */
  record Model(Class<?> type) implements Shape {}

  /** Not checked: a scalar, or an object whose keys are free (PostgreSQL parameters). */
  record Any() implements Shape {}

  static final Shape ANY = new Any();

  /** postgresql.cnpg.io/v1 Cluster: ClusterSpec. */
  static final Fields CNPG_CLUSTER =
      fields(
          "description", ANY,
          "inheritedMetadata", fields("labels", ANY, "annotations", ANY),
          "imageName", ANY,
          "imageCatalogRef", ANY,
          "imagePullPolicy", ANY,
          "imagePullSecrets", ANY,
          "schedulerName", ANY,
          "postgresUID", ANY,
          "postgresGID", ANY,
          "instances", ANY,
          "minSyncReplicas", ANY,
          "maxSyncReplicas", ANY,
          "postgresql",
              fields(
                  "parameters", ANY,
                  "synchronous", ANY,
                  "pg_hba", ANY,
                  "pg_ident", ANY,
                  "syncReplicaElectionConstraint", ANY,
                  "shared_preload_libraries", ANY,
                  "ldap", ANY,
                  "promotionTimeout", ANY,
                  "enableAlterSystem", ANY,
                  "extensions", ANY),
          "replicationSlots", ANY,
          "bootstrap",
              fields(
                  "initdb",
                      fields(
                          "database", ANY,
                          "owner", ANY,
                          "secret", ANY,
                          "options", ANY,
                          "dataChecksums", ANY,
                          "encoding", ANY,
                          "localeCollate", ANY,
                          "localeCType", ANY,
                          "locale", ANY,
                          "localeProvider", ANY,
                          "icuLocale", ANY,
                          "icuRules", ANY,
                          "builtinLocale", ANY,
                          "walSegmentSize", ANY,
                          "postInitSQL", ANY,
                          "postInitApplicationSQL", ANY,
                          "postInitTemplateSQL", ANY,
                          "postInitSQLRefs", ANY,
                          "postInitApplicationSQLRefs", ANY,
                          "postInitTemplateSQLRefs", ANY,
                          "import", ANY),
                  "recovery", ANY,
                  "pg_basebackup", ANY),
          "replica", ANY,
          "superuserSecret", ANY,
          "enableSuperuserAccess", ANY,
          "certificates", ANY,
          "storage",
              fields(
                  "storageClass", ANY, "size", ANY, "resizeInUseVolumes", ANY, "pvcTemplate", ANY),
          "walStorage", ANY,
          "serviceAccountTemplate", ANY,
          "ephemeralVolumeSource", ANY,
          "ephemeralVolumesSizeLimit", ANY,
          "startDelay", ANY,
          "stopDelay", ANY,
          "smartShutdownTimeout", ANY,
          "switchoverDelay", ANY,
          "failoverDelay", ANY,
          "livenessProbeTimeout", ANY,
          "affinity", ANY,
          "topologySpreadConstraints", ANY,
          "resources", new Model(ResourceRequirements.class),
          "priorityClassName", ANY,
          "primaryUpdateStrategy", ANY,
          "primaryUpdateMethod", ANY,
          "backup", ANY,
          "nodeMaintenanceWindow", ANY,
          "monitoring", ANY,
          "externalClusters", ANY,
          "logLevel", ANY,
          "projectedVolumeTemplate", ANY,
          "env", ANY,
          "envFrom", ANY,
          "managed",
              fields(
                  "roles",
                  new ListOf(
                      fields(
                          "name", ANY,
                          "comment", ANY,
                          "ensure", ANY,
                          "passwordSecret", fields("name", ANY),
                          "connectionLimit", ANY,
                          "validUntil", ANY,
                          "inRoles", ANY,
                          "inherit", ANY,
                          "disablePassword", ANY,
                          "superuser", ANY,
                          "createdb", ANY,
                          "createrole", ANY,
                          "login", ANY,
                          "replication", ANY,
                          "bypassrls", ANY)),
                  "services",
                  ANY),
          "seccompProfile", ANY,
          "tablespaces", ANY,
          "enablePDB", ANY,
          "plugins", ANY,
          "probes", ANY,
          "podSecurityContext", ANY,
          "securityContext", ANY);

  /** keda.sh/v1alpha1 ScaledObject: ScaledObjectSpec, with the Kafka scaler's metadata. */
  static final Fields KEDA_SCALED_OBJECT =
      fields(
          "scaleTargetRef",
              fields("apiVersion", ANY, "kind", ANY, "name", ANY, "envSourceContainerName", ANY),
          "pollingInterval", ANY,
          "initialCooldownPeriod", ANY,
          "cooldownPeriod", ANY,
          "idleReplicaCount", ANY,
          "minReplicaCount", ANY,
          "maxReplicaCount", ANY,
          "fallback", ANY,
          "advanced",
              fields(
                  "restoreToOriginalReplicaCount", ANY,
                  "scalingModifiers", ANY,
                  "horizontalPodAutoscalerConfig",
                      fields(
                          "name",
                          ANY,
                          "behavior",
                          new Model(HorizontalPodAutoscalerBehavior.class))),
          "triggers",
              new ListOf(
                  fields(
                      "type", ANY,
                      "name", ANY,
                      "metricType", ANY,
                      "useCachedMetrics", ANY,
                      "authenticationRef", fields("name", ANY, "kind", ANY),
                      // the only scaler the manifests use is kafka's
                      "metadata",
                          fields(
                              "bootstrapServers", ANY,
                              "bootstrapServersFromEnv", ANY,
                              "consumerGroup", ANY,
                              "consumerGroupFromEnv", ANY,
                              "topic", ANY,
                              "topicFromEnv", ANY,
                              "lagThreshold", ANY,
                              "activationLagThreshold", ANY,
                              "offsetResetPolicy", ANY,
                              "allowIdleConsumers", ANY,
                              "excludePersistentLag", ANY,
                              "scaleToZeroOnInvalidOffset", ANY,
                              "limitToPartitionsWithLag", ANY,
                              "ensureEvenDistributionOfPartitions", ANY,
                              "partitionLimitation", ANY,
                              "version", ANY,
                              "sasl", ANY,
                              "tls", ANY,
                              "unsafeSsl", ANY))));

  /** The allow-list of each custom resource checked this way, by group and kind. */
  static final Map<String, Fields> BY_KIND =
      Map.of(
          "postgresql.cnpg.io/Cluster", CNPG_CLUSTER, "keda.sh/ScaledObject", KEDA_SCALED_OBJECT);

  private OperatorSpecs() {}

  /**
   * The fields of {@code value} that {@code shape} does not know, as violations under {@code path}.
   */
  static void check(Object value, Shape shape, String path, List<String> out) {
    if (shape instanceof Model model) {
      Object typed;
      try {
        typed = ManifestChecks.SERIALIZATION.convertValue(value, model.type());
      } catch (IllegalArgumentException e) {
        out.add(path + ": not a " + model.type().getSimpleName() + ": " + e.getMessage());
        return;
      }
      ManifestChecks.unknownFields(typed, path, out);
    } else if (shape instanceof ListOf list) {
      if (!(value instanceof List<?> elements)) {
        out.add(path + ": a list was expected");
        return;
      }
      for (int i = 0; i < elements.size(); i++) {
        check(elements.get(i), list.element(), path + "[" + i + "]", out);
      }
    } else if (shape instanceof Fields fields) {
      if (!(value instanceof Map<?, ?> map)) {
        out.add(path + ": an object was expected");
        return;
      }
      for (var entry : map.entrySet()) {
        Shape known = fields.fields().get(String.valueOf(entry.getKey()));
        if (known == null) {
          out.add(path + ": unknown field(s) [" + entry.getKey() + "]");
        } else {
          check(entry.getValue(), known, path + "." + entry.getKey(), out);
        }
      }
    }
  }

  private static Fields fields(Object... namesAndShapes) {
    Map<String, Shape> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndShapes.length; i += 2) {
      fields.put((String) namesAndShapes[i], (Shape) namesAndShapes[i + 1]);
    }
    return new Fields(fields);
  }
}

package dev.gantry.deploy.kubernetes;

import static dev.gantry.deploy.kubernetes.Manifests.groupOf;
import static dev.gantry.deploy.kubernetes.Manifests.id;

import dev.gantry.deploy.kubernetes.Manifests.Pod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a rendered overlay must satisfy. Each check returns its violations as sentences a user can
 * act on; an empty list means the overlay passes. The tests run them on the real overlays and on
 * deliberately broken fixtures.
 */
final class ManifestChecks {

  /**
   * The operators' custom resources. fabric8 has no model of them, so they parse as generic
   * resources; {@link #models} then checks each against Strimzi's own Java models or, where there
   * is none, against {@link OperatorSpecs}' allow-lists.
   */
  static final Set<String> OPERATOR_GROUPS =
      Set.of("kafka.strimzi.io", "postgresql.cnpg.io", "keda.sh");

  /** Strimzi's Java models (io.strimzi:api), by group/kind. */
  static final Map<String, Class<? extends HasMetadata>> STRIMZI_MODELS =
      Map.of(
          "kafka.strimzi.io/Kafka", Kafka.class,
          "kafka.strimzi.io/KafkaNodePool", KafkaNodePool.class,
          "kafka.strimzi.io/KafkaTopic", KafkaTopic.class);

  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** The only Deployment that may write to the shared root. */
  static final String SHARED_ROOT_WRITER = "build-worker";

  /** Below this share of the memory limit for the heap, metaspace, threads and buffers fit. */
  static final double MAX_HEAP_SHARE = 0.6;

  /** The packages of the models whose unknown fields are looked for: fabric8's and Strimzi's. */
  private static final List<String> MODEL_PACKAGES =
      List.of("io.fabric8.kubernetes.api.model.", "io.strimzi.api.kafka.model.");

  private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)");

  private ManifestChecks() {}

  static List<String> all(Manifests m, Set<String> externalSecrets) {
    return Stream.of(
            models(m),
            selectors(m),
            references(m, externalSecrets),
            topics(m),
            database(m),
            connectionBudget(m),
            sharedRoot(m),
            containers(m),
            scaling(m))
        .flatMap(List::stream)
        .toList();
  }

  // --- every document parses into its model, with no field the model does not know ------------

  static List<String> models(Manifests m) {
    List<String> out = new ArrayList<>();
    for (HasMetadata item : m.items()) {
      if (!(item instanceof GenericKubernetesResource generic)) {
        unknownFields(item, id(item), out);
        continue;
      }
      String kind = groupOf(item.getApiVersion()) + "/" + item.getKind();
      Class<? extends HasMetadata> strimzi = STRIMZI_MODELS.get(kind);
      OperatorSpecs.Fields allowed = OperatorSpecs.BY_KIND.get(kind);
      if (strimzi != null) {
        HasMetadata typed;
        try {
          typed = SERIALIZATION.convertValue(generic, strimzi);
        } catch (IllegalArgumentException e) {
          out.add(
              id(item) + " does not parse into Strimzi's " + strimzi.getSimpleName() + ": " + e);
          continue;
        }
        unknownFields(typed, id(item), out);
      } else if (allowed != null) {
        unknownFields(generic.getMetadata(), id(item) + ".metadata", out);
        Map<String, Object> top = new LinkedHashMap<>(generic.getAdditionalProperties());
        Object spec = top.remove("spec");
        if (!top.isEmpty()) {
          out.add(id(item) + ": unknown field(s) " + top.keySet());
        }
        OperatorSpecs.check(spec, allowed, id(item) + ".spec", out);
      } else {
        out.add(
            id(item)
                + " ("
                + item.getApiVersion()
                + ") has no fabric8 model and is none of the custom resources of Strimzi,"
                + " CloudNativePG or KEDA checked here: a misspelt kind or version?");
      }
    }
    return out;
  }

  /**
   * fabric8 keeps a field it does not know in {@code additionalProperties} instead of failing, so a
   * misspelt field ({@code readinesProbe}) parses; Strimzi's models do the same (they implement
   * UnknownPropertyPreserving through a Jackson any-setter, which FAIL_ON_UNKNOWN_PROPERTIES does
   * not override). Any such field is a violation.
   */
  static void unknownFields(Object value, String path, List<String> out) {
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object element : list) {
        unknownFields(element, path + "[" + i++ + "]", out);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, out));
      return;
    }
    if (value instanceof Quantity quantity) {
      try {
        quantity.getNumericalAmount();
      } catch (IllegalArgumentException e) {
        out.add(path + ": '" + quantity + "' is not a quantity");
      }
    }
    if (value == null || !isModel(value.getClass())) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")) {
        continue;
      }
      Class<?> type = getter.getReturnType();
      boolean nested =
          isModel(type)
              || Collection.class.isAssignableFrom(type)
              || Map.class.isAssignableFrom(type);
      if (!nested) {
        continue;
      }
      Object child = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(path + ": unknown field(s) " + extra.keySet());
        }
      } else {
        String field = getter.getName().substring(3);
        unknownFields(
            child, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), out);
      }
    }
  }

  private static boolean isModel(Class<?> type) {
    return MODEL_PACKAGES.stream().anyMatch(p -> type.getName().startsWith(p));
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + getter, e);
    }
  }

  // --- selectors select the pods they are meant for ----------------------------------------------

  static List<String> selectors(Manifests m) {
    List<String> out = new ArrayList<>();
    List<Pod> pods = m.pods();
    for (Deployment d : m.all(Deployment.class)) {
      if (!matches(
          d.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels())) {
        out.add(id(d) + ": its selector does not match its own pod template's labels");
      }
    }
    for (Service s : m.all(Service.class)) {
      Map<String, String> selector = s.getSpec().getSelector();
      if (selector == null || selector.isEmpty()) {
        out.add(id(s) + " has no selector: it would never have endpoints");
      } else if (selecting(pods, s.getMetadata().getNamespace(), new LabelSelector(null, selector))
          .isEmpty()) {
        out.add(id(s) + " selects no pod: " + selector);
      }
    }
    for (PodDisruptionBudget pdb : m.all(PodDisruptionBudget.class)) {
      if (selecting(pods, pdb.getMetadata().getNamespace(), pdb.getSpec().getSelector())
          .isEmpty()) {
        out.add(id(pdb) + " selects no pod");
      }
    }
    for (NetworkPolicy np : m.all(NetworkPolicy.class)) {
      String ns = np.getMetadata().getNamespace();
      if (selecting(pods, ns, np.getSpec().getPodSelector()).isEmpty()) {
        out.add(id(np) + " applies to no pod: " + np.getSpec().getPodSelector().getMatchLabels());
      }
      List<NetworkPolicyPeer> peers = new ArrayList<>();
      np.getSpec().getIngress().forEach(rule -> peers.addAll(rule.getFrom()));
      np.getSpec().getEgress().forEach(rule -> peers.addAll(rule.getTo()));
      for (NetworkPolicyPeer peer : peers) {
        // a peer with a namespace selector means pods elsewhere (DNS, Prometheus, the operators)
        if (peer.getNamespaceSelector() == null
            && peer.getPodSelector() != null
            && selecting(pods, ns, peer.getPodSelector()).isEmpty()) {
          out.add(
              id(np)
                  + " allows traffic with pods that do not exist: "
                  + describe(peer.getPodSelector()));
        }
      }
    }
    return out;
  }

  static List<Pod> selecting(List<Pod> pods, String namespace, LabelSelector selector) {
    return pods.stream()
        .filter(p -> p.namespace().equals(namespace))
        .filter(p -> matches(selector, p.labels()))
        .toList();
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (var wanted : selector.getMatchLabels().entrySet()) {
        if (!wanted.getValue().equals(have.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (var expr : selector.getMatchExpressions()) {
        String value = have.get(expr.getKey());
        boolean ok =
            switch (expr.getOperator()) {
              case "In" -> value != null && expr.getValues().contains(value);
              case "NotIn" -> value == null || !expr.getValues().contains(value);
              case "Exists" -> value != null;
              case "DoesNotExist" -> value == null;
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  private static String describe(LabelSelector selector) {
    return Objects.toString(selector.getMatchLabels(), "")
        + (selector.getMatchExpressions().isEmpty() ? "" : " " + selector.getMatchExpressions());
  }

  // --- what is referenced exists
  // ------------------------------------------------------------------

  /** A reference to a Secret: where it is made, and the Secret's namespace and name. */
  record SecretRef(String from, String namespace, String name) {}

  static List<String> references(Manifests m, Set<String> externalSecrets) {
    List<String> out = new ArrayList<>();
    for (Pod pod : m.pods()) {
      if (pod.spec() == null) {
        continue;
      }
      String ns = pod.namespace();
      String sa = pod.spec().getServiceAccountName();
      if (sa != null && !m.has("", "ServiceAccount", ns, sa)) {
        out.add(undefined(pod.describe(), "runs as", "ServiceAccount", ns, sa));
      }
      List<String> configMaps = new ArrayList<>();
      for (Container c : containersOf(pod)) {
        c.getEnvFrom().stream()
            .filter(from -> from.getConfigMapRef() != null)
            .forEach(from -> configMaps.add(from.getConfigMapRef().getName()));
        c.getEnv().stream()
            .filter(env -> env.getValueFrom() != null)
            .filter(env -> env.getValueFrom().getConfigMapKeyRef() != null)
            .forEach(env -> configMaps.add(env.getValueFrom().getConfigMapKeyRef().getName()));
      }
      for (Volume v : pod.spec().getVolumes()) {
        if (v.getConfigMap() != null) {
          configMaps.add(v.getConfigMap().getName());
        }
        PersistentVolumeClaimVolumeSource claim = v.getPersistentVolumeClaim();
        if (claim != null && !m.has("", "PersistentVolumeClaim", ns, claim.getClaimName())) {
          out.add(
              undefined(
                  pod.describe(), "mounts", "PersistentVolumeClaim", ns, claim.getClaimName()));
        }
      }
      configMaps.stream()
          .distinct()
          .filter(name -> !m.has("", "ConfigMap", ns, name))
          .forEach(name -> out.add(undefined(pod.describe(), "reads", "ConfigMap", ns, name)));
    }
    for (SecretRef ref : secretRefs(m)) {
      if (!m.has("", "Secret", ref.namespace(), ref.name())
          && !externalSecrets.contains(ref.name())) {
        out.add(
            ref.from()
                + " references Secret "
                + ref.namespace()
                + "/"
                + ref.name()
                + ", which is neither defined in the overlay nor listed in README.md's secrets to"
                + " create");
      }
    }
    for (RoleBinding rb : m.all(RoleBinding.class)) {
      String ns = rb.getMetadata().getNamespace();
      String roleKind = rb.getRoleRef().getKind();
      String roleNs = "Role".equals(roleKind) ? ns : null;
      if (!m.has("rbac.authorization.k8s.io", roleKind, roleNs, rb.getRoleRef().getName())) {
        out.add(undefined(id(rb), "binds", roleKind, roleNs, rb.getRoleRef().getName()));
      }
      for (Subject s : rb.getSubjects()) {
        if ("ServiceAccount".equals(s.getKind())
            && !m.has("", "ServiceAccount", s.getNamespace(), s.getName())) {
          out.add(undefined(id(rb), "binds", "ServiceAccount", s.getNamespace(), s.getName()));
        }
      }
    }
    for (PersistentVolumeClaim pvc : m.all(PersistentVolumeClaim.class)) {
      String volume = pvc.getSpec().getVolumeName();
      if (volume != null && !m.has("", "PersistentVolume", null, volume)) {
        out.add(undefined(id(pvc), "asks for", "PersistentVolume", null, volume));
      }
    }
    for (PersistentVolume pv : m.all(PersistentVolume.class)) {
      var claim = pv.getSpec().getClaimRef();
      if (claim != null
          && !m.has("", "PersistentVolumeClaim", claim.getNamespace(), claim.getName())) {
        out.add(
            undefined(
                id(pv),
                "is reserved for",
                "PersistentVolumeClaim",
                claim.getNamespace(),
                claim.getName()));
      }
    }
    for (String kind : List.of("KafkaTopic", "KafkaNodePool")) {
      for (HasMetadata r : m.all("kafka.strimzi.io", kind)) {
        Map<String, String> labels = r.getMetadata().getLabels();
        String cluster = labels == null ? null : labels.get("strimzi.io/cluster");
        String ns = r.getMetadata().getNamespace();
        if (cluster == null || !m.has("kafka.strimzi.io", "Kafka", ns, cluster)) {
          out.add(undefined(id(r), "belongs to", "Kafka", ns, String.valueOf(cluster)));
        }
      }
    }
    for (HasMetadata so : m.all("keda.sh", "ScaledObject")) {
      String target = ((GenericKubernetesResource) so).get("spec", "scaleTargetRef", "name");
      String ns = so.getMetadata().getNamespace();
      if (!m.has("apps", "Deployment", ns, target)) {
        out.add(undefined(id(so), "scales", "Deployment", ns, target));
      }
    }
    return out;
  }

  private static String undefined(
      String who, String verb, String kind, String namespace, String name) {
    return who
        + " "
        + verb
        + " "
        + kind
        + " "
        + (namespace == null ? "" : namespace + "/")
        + name
        + ", which the overlay does not define";
  }

  /** Every Secret the overlay's pods and the PostgreSQL roles use. */
  static List<SecretRef> secretRefs(Manifests m) {
    List<SecretRef> refs = new ArrayList<>();
    for (Pod pod : m.pods()) {
      if (pod.spec() == null) {
        continue;
      }
      for (Container c : containersOf(pod)) {
        for (EnvFromSource from : c.getEnvFrom()) {
          if (from.getSecretRef() != null) {
            refs.add(new SecretRef(pod.describe(), pod.namespace(), from.getSecretRef().getName()));
          }
        }
        for (EnvVar env : c.getEnv()) {
          if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
            refs.add(
                new SecretRef(
                    pod.describe() + " (" + env.getName() + ")",
                    pod.namespace(),
                    env.getValueFrom().getSecretKeyRef().getName()));
          }
        }
      }
      for (Volume v : pod.spec().getVolumes()) {
        if (v.getSecret() != null) {
          refs.add(new SecretRef(pod.describe(), pod.namespace(), v.getSecret().getSecretName()));
        }
      }
    }
    for (HasMetadata cluster : m.all("postgresql.cnpg.io", "Cluster")) {
      List<Map<String, Object>> roles =
          ((GenericKubernetesResource) cluster).get("spec", "managed", "roles");
      for (Map<String, Object> role : roles == null ? List.<Map<String, Object>>of() : roles) {
        if (role.get("passwordSecret") instanceof Map<?, ?> secret) {
          refs.add(
              new SecretRef(
                  id(cluster) + " (role " + role.get("name") + ")",
                  cluster.getMetadata().getNamespace(),
                  (String) secret.get("name")));
        }
      }
    }
    return refs;
  }

  private static List<Container> containersOf(Pod pod) {
    List<Container> all = new ArrayList<>(pod.spec().getContainers());
    all.addAll(pod.spec().getInitContainers());
    return all;
  }

  // --- one KafkaTopic per topic of events' Topics.java, and no other -----------------------------

  static List<String> topics(Manifests m) {
    List<String> out = new ArrayList<>();
    Map<String, String> named = Sources.topics();
    Map<String, HasMetadata> defined = new LinkedHashMap<>();
    for (HasMetadata t : m.all("kafka.strimzi.io", "KafkaTopic")) {
      defined.put(topicName(t), t);
    }
    named.forEach(
        (constant, topic) -> {
          if (!defined.containsKey(topic)) {
            out.add(
                "Topics."
                    + constant
                    + " is topic "
                    + topic
                    + ", which no KafkaTopic in the overlay defines: with auto.create.topics.enable"
                    + " off, whoever produces or consumes it fails");
          }
        });
    defined.forEach(
        (topic, t) -> {
          if (!named.containsValue(topic)) {
            out.add(
                id(t)
                    + " defines topic "
                    + topic
                    + ", which events' Topics.java does not name: misspelt, or a topic nobody uses");
          }
        });
    return out;
  }

  /** The topic a KafkaTopic stands for: spec.topicName, else (as Strimzi does) its name. */
  static String topicName(HasMetadata topic) {
    String name = ((GenericKubernetesResource) topic).get("spec", "topicName");
    return name != null ? name : topic.getMetadata().getName();
  }

  // --- each service using PostgreSQL: its schemas, owned by the login role it connects as ------

  private static final Pattern JDBC_URL =
      Pattern.compile("jdbc:postgresql://([^:/?]+)(?::\\d+)?/([^?]+).*");
  private static final Pattern CREATE_SCHEMA =
      Pattern.compile(
          "CREATE\\s+SCHEMA\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\s+AUTHORIZATION\\s+(\\w+)",
          Pattern.CASE_INSENSITIVE);

  /** The services whose application.properties use PostgreSQL, among the overlay's Deployments. */
  static List<String> postgresServices(Manifests m) {
    return m.all(Deployment.class).stream()
        .map(d -> d.getMetadata().getName())
        .filter(
            name ->
                Sources.applicationProperties(name)
                    .map(p -> "postgresql".equals(p.getProperty("quarkus.datasource.db-kind")))
                    .orElse(false))
        .sorted()
        .toList();
  }

  static List<String> database(Manifests m) {
    List<String> out = new ArrayList<>();
    for (String service : postgresServices(m)) {
      Deployment d =
          m.all(Deployment.class).stream()
              .filter(x -> x.getMetadata().getName().equals(service))
              .findFirst()
              .orElseThrow();
      String ns = d.getMetadata().getNamespace();
      Properties props = Sources.applicationProperties(service).orElseThrow();
      Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
      List<String> schemas =
          Stream.of(props.getProperty("quarkus.flyway.schemas", "").split(","))
              .map(String::strip)
              .filter(x -> !x.isEmpty())
              .toList();
      if (schemas.isEmpty()) {
        out.add(
            service
                + "'s application.properties uses PostgreSQL but names no schema in"
                + " quarkus.flyway.schemas");
        continue;
      }

      String url = configured(effectiveEnv(m, ns, c), props, "quarkus.datasource.jdbc.url");
      Matcher jdbc = JDBC_URL.matcher(url == null ? "" : url);
      if (!jdbc.matches()) {
        out.add(
            id(d) + " connects to '" + url + "', which is no jdbc:postgresql://host/database URL");
        continue;
      }
      String[] host = jdbc.group(1).split("\\.");
      String clusterNs = host.length > 1 ? host[1] : ns;
      Optional<GenericKubernetesResource> found =
          host[0].endsWith("-rw")
              ? m.find(
                      "postgresql.cnpg.io",
                      "Cluster",
                      clusterNs,
                      host[0].substring(0, host[0].length() - 3))
                  .map(GenericKubernetesResource.class::cast)
              : Optional.empty();
      if (found.isEmpty()) {
        out.add(
            id(d)
                + " connects to "
                + jdbc.group(1)
                + ", which is the primary (<cluster>-rw) of no CloudNativePG Cluster in the overlay");
        continue;
      }
      GenericKubernetesResource cluster = found.get();
      String database = cluster.get("spec", "bootstrap", "initdb", "database");
      if (!jdbc.group(2).equals(database)) {
        out.add(
            id(d)
                + " connects to database "
                + jdbc.group(2)
                + " but "
                + id(cluster)
                + " creates "
                + database);
      }

      SecretKeySelector user = secretKey(c, "QUARKUS_DATASOURCE_USERNAME");
      SecretKeySelector password = secretKey(c, "QUARKUS_DATASOURCE_PASSWORD");
      if (user == null
          || password == null
          || !user.getName().equals(password.getName())
          || !"username".equals(user.getKey())
          || !"password".equals(password.getKey())) {
        out.add(
            id(d)
                + " must take QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD from the"
                + " keys username and password of its role's passwordSecret (one basic-auth Secret),"
                + " not "
                + describe(user)
                + " and "
                + describe(password));
        continue;
      }
      List<Map<String, Object>> roles = cluster.get("spec", "managed", "roles");
      Optional<Map<String, Object>> role =
          (roles == null ? List.<Map<String, Object>>of() : roles)
              .stream()
                  .filter(
                      r ->
                          r.get("passwordSecret") instanceof Map<?, ?> secret
                              && user.getName().equals(secret.get("name")))
                  .findFirst();
      if (role.isEmpty()) {
        out.add(
            id(d)
                + " logs in with Secret "
                + user.getName()
                + ", which is the passwordSecret of no managed role of "
                + id(cluster));
        continue;
      }
      String roleName = (String) role.get().get("name");
      connections(d, props, effectiveEnv(m, ns, c), roleName, role.get(), cluster)
          .ifPresent(out::add);
      if (!Boolean.TRUE.equals(role.get().get("login"))
          || "absent".equals(role.get().get("ensure"))) {
        out.add(
            "role "
                + roleName
                + " of "
                + id(cluster)
                + " is not a present role with login: "
                + service
                + ", which logs in as it, could not connect");
      }
      Map<String, String> owners = new LinkedHashMap<>();
      List<String> sql = cluster.get("spec", "bootstrap", "initdb", "postInitApplicationSQL");
      for (String statement : sql == null ? List.<String>of() : sql) {
        Matcher schema = CREATE_SCHEMA.matcher(statement);
        if (schema.find()) {
          owners.put(schema.group(1), schema.group(2));
        }
      }
      for (String schema : schemas) {
        String owner = owners.get(schema);
        if (owner == null) {
          out.add(
              id(cluster)
                  + " creates no schema "
                  + schema
                  + " (quarkus.flyway.schemas of "
                  + service
                  + ") in its postInitApplicationSQL");
        } else if (!owner.equals(roleName)) {
          out.add(
              "schema "
                  + schema
                  + " of "
                  + id(cluster)
                  + " is owned by "
                  + owner
                  + ", not by "
                  + roleName
                  + ", the role "
                  + service
                  + " logs in as: its Flyway could not migrate it");
        }
      }
    }
    return out;
  }

  /** Agroal's pool size when quarkus.datasource.jdbc.max-size is not set. */
  static final int QUARKUS_DEFAULT_POOL = 20;

  /** PostgreSQL's superuser_reserved_connections when the Cluster does not set it. */
  static final int RESERVED_FOR_SUPERUSERS = 3;

  /**
   * The most pods a Deployment runs at once: its replicas, plus the surge of a rolling update (25
   * %, rounded up, where the strategy does not say).
   */
  static int podsAtMost(Deployment d) {
    int replicas = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
    var strategy = d.getSpec().getStrategy();
    if (strategy != null && "Recreate".equals(strategy.getType())) {
      return replicas;
    }
    var surge =
        strategy == null || strategy.getRollingUpdate() == null
            ? null
            : strategy.getRollingUpdate().getMaxSurge();
    if (surge == null) {
      return replicas + (int) Math.ceil(replicas * 0.25);
    }
    if (surge.getStrVal() != null && surge.getStrVal().endsWith("%")) {
      double share = Integer.parseInt(surge.getStrVal().replace("%", "")) / 100.0;
      return replicas + (int) Math.ceil(replicas * share);
    }
    return replicas + surge.getIntVal();
  }

  /**
   * The connections a service may open at once (pods at most × its pool) against its role's
   * connectionLimit: past it, PostgreSQL refuses the pool's next connection during a rollout.
   */
  private static Optional<String> connections(
      Deployment d,
      Properties props,
      Map<String, String> env,
      String roleName,
      Map<String, Object> role,
      GenericKubernetesResource cluster) {
    String size = configured(env, props, "quarkus.datasource.jdbc.max-size");
    int pool = size == null ? QUARKUS_DEFAULT_POOL : Integer.parseInt(size.strip());
    int pods = podsAtMost(d);
    Object limit = role.get("connectionLimit");
    if (!(limit instanceof Number n) || n.intValue() < 0 || pods * pool <= n.intValue()) {
      return Optional.empty();
    }
    return Optional.of(
        id(d)
            + " may run "
            + pods
            + " pods at once (a rolling update included) with a pool of up to "
            + pool
            + " connections each: "
            + pods * pool
            + ", more than the connectionLimit of "
            + n.intValue()
            + " of role "
            + roleName
            + " in "
            + id(cluster));
  }

  /** The roles' connection limits fit in the Cluster's max_connections, less the superusers'. */
  static List<String> connectionBudget(Manifests m) {
    List<String> out = new ArrayList<>();
    for (HasMetadata found : m.all("postgresql.cnpg.io", "Cluster")) {
      GenericKubernetesResource cluster = (GenericKubernetesResource) found;
      String max = cluster.get("spec", "postgresql", "parameters", "max_connections");
      List<Map<String, Object>> roles = cluster.get("spec", "managed", "roles");
      if (max == null || roles == null) {
        continue;
      }
      int sum =
          roles.stream()
              .map(r -> r.get("connectionLimit"))
              .filter(Number.class::isInstance)
              .mapToInt(l -> ((Number) l).intValue())
              .filter(l -> l >= 0)
              .sum();
      int available = Integer.parseInt(max) - RESERVED_FOR_SUPERUSERS;
      if (sum > available) {
        out.add(
            "the roles of "
                + id(cluster)
                + " may open "
                + sum
                + " connections (their connectionLimits), more than its max_connections of "
                + max
                + " less "
                + RESERVED_FOR_SUPERUSERS
                + " reserved for superusers");
      }
    }
    return out;
  }

  private static SecretKeySelector secretKey(Container c, String variable) {
    return c.getEnv().stream()
        .filter(e -> variable.equals(e.getName()) && e.getValueFrom() != null)
        .map(e -> e.getValueFrom().getSecretKeyRef())
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static String describe(SecretKeySelector key) {
    return key == null ? "no Secret" : "Secret " + key.getName() + " key " + key.getKey();
  }

  // --- the shared root: written by build-worker only
  // ----------------------------------------------

  static List<String> sharedRoot(Manifests m) {
    List<String> out = new ArrayList<>();
    for (Pod pod : m.pods()) {
      if (pod.spec() == null) {
        continue;
      }
      for (Volume v : pod.spec().getVolumes()) {
        if (v.getPersistentVolumeClaim() == null
            || !isSharedRoot(m, pod.namespace(), v.getPersistentVolumeClaim().getClaimName())) {
          continue;
        }
        boolean writable =
            !Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly())
                || mountsOf(pod, v.getName())
                    .anyMatch(mount -> !Boolean.TRUE.equals(mount.getReadOnly()));
        boolean writer = SHARED_ROOT_WRITER.equals(pod.owner());
        if (writable && !writer) {
          out.add(
              pod.describe()
                  + " mounts the shared root read-write; only "
                  + SHARED_ROOT_WRITER
                  + " writes it, everyone else mounts it read-only (volume and volumeMount)");
        }
        if (!writable && writer) {
          out.add(
              pod.describe()
                  + " mounts the shared root read-only, but it writes artifacts, caches and logs there");
        }
      }
    }
    return out;
  }

  private static boolean isSharedRoot(Manifests m, String ns, String claim) {
    return m.find("", "PersistentVolumeClaim", ns, claim)
        .map(pvc -> ((PersistentVolumeClaim) pvc).getSpec().getVolumeName())
        .flatMap(volume -> m.find("", "PersistentVolume", null, volume))
        .map(pv -> pv.getMetadata().getLabels())
        .map(labels -> "shared".equals(labels.get("gantry.dev/volume")))
        .orElse(false);
  }

  private static Stream<VolumeMount> mountsOf(Pod pod, String volume) {
    return pod.spec().getContainers().stream()
        .flatMap(c -> c.getVolumeMounts().stream())
        .filter(mount -> volume.equals(mount.getName()));
  }

  // --- the services' containers: probes, address, port, heap
  // ---------------------------------------

  static List<String> containers(Manifests m) {
    List<String> out = new ArrayList<>();
    for (Deployment d : m.all(Deployment.class)) {
      String name = d.getMetadata().getName();
      String ns = d.getMetadata().getNamespace();
      for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
        String where = id(d) + " container " + c.getName();
        checkProbe(where, "liveness", c.getLivenessProbe(), "/q/health/live", c, out);
        checkProbe(where, "readiness", c.getReadinessProbe(), "/q/health/ready", c, out);
        Map<String, String> env = effectiveEnv(m, ns, c);
        if (!"0.0.0.0".equals(env.get("QUARKUS_HTTP_HOST"))) {
          out.add(
              where
                  + " does not set QUARKUS_HTTP_HOST=0.0.0.0: Quarkus would listen on"
                  + " 127.0.0.1 (application.properties), out of reach of probes and Services");
        }
        Optional<Integer> configured = applicationPort(name);
        Integer http =
            c.getPorts().stream()
                .filter(p -> "http".equals(p.getName()))
                .map(p -> p.getContainerPort())
                .findFirst()
                .orElse(null);
        if (http == null) {
          out.add(where + " declares no port named http");
        } else if (env.containsKey("QUARKUS_HTTP_PORT")) {
          if (!env.get("QUARKUS_HTTP_PORT").equals(http.toString())) {
            out.add(
                where
                    + " listens on QUARKUS_HTTP_PORT="
                    + env.get("QUARKUS_HTTP_PORT")
                    + " but declares port "
                    + http);
          }
        } else if (configured.isPresent() && !configured.get().equals(http)) {
          out.add(
              where
                  + " declares port "
                  + http
                  + " but "
                  + name
                  + "'s application.properties listens on "
                  + configured.get());
        }
        Quantity limit =
            c.getResources() == null || c.getResources().getLimits() == null
                ? null
                : c.getResources().getLimits().get("memory");
        if (limit == null) {
          out.add(where + " has no memory limit");
          continue;
        }
        Matcher xmx = XMX.matcher(env.getOrDefault("JAVA_OPTS", ""));
        if (!xmx.find()) {
          out.add(
              where
                  + " sets no -Xmx in JAVA_OPTS: the heap would be sized from the node, not the pod");
          continue;
        }
        BigDecimal heap =
            Quantity.getAmountInBytes(
                new Quantity(
                    xmx.group(1), xmx.group(2).isEmpty() ? "" : xmx.group(2).toUpperCase() + "i"));
        BigDecimal max =
            Quantity.getAmountInBytes(limit).multiply(BigDecimal.valueOf(MAX_HEAP_SHARE));
        if (heap.compareTo(max) > 0) {
          out.add(
              where
                  + ": -Xmx"
                  + xmx.group(1)
                  + xmx.group(2)
                  + " is more than "
                  + (int) (MAX_HEAP_SHARE * 100)
                  + " % of the "
                  + limit
                  + " memory limit; metaspace, threads and buffers would push it over and get it OOM-killed");
        }
      }
    }
    return out;
  }

  private static void checkProbe(
      String where, String kind, Probe probe, String path, Container c, List<String> out) {
    HTTPGetAction get = probe == null ? null : probe.getHttpGet();
    if (get == null || !path.equals(get.getPath())) {
      out.add(where + " has no " + kind + " probe on " + path);
      return;
    }
    IntOrString port = get.getPort();
    boolean declared =
        c.getPorts().stream()
            .anyMatch(
                p ->
                    port.getStrVal() != null
                        ? port.getStrVal().equals(p.getName())
                        : Objects.equals(port.getIntVal(), p.getContainerPort()));
    if (!declared) {
      out.add(
          where
              + "'s "
              + kind
              + " probe targets port "
              + port.getValue()
              + ", which the container does not declare");
    }
  }

  /** The container's environment as the kubelet builds it: envFrom in order, then env. */
  static Map<String, String> effectiveEnv(Manifests m, String ns, Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : c.getEnvFrom()) {
      if (from.getConfigMapRef() != null) {
        m.find("", "ConfigMap", ns, from.getConfigMapRef().getName())
            .map(cm -> ((io.fabric8.kubernetes.api.model.ConfigMap) cm).getData())
            .ifPresent(env::putAll);
      }
    }
    for (EnvVar e : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else {
        env.remove(e.getName());
      }
    }
    return env;
  }

  /** quarkus.http.port from the service's own application.properties, when the module exists. */
  static Optional<Integer> applicationPort(String service) {
    return Sources.applicationProperties(service)
        .map(props -> props.getProperty("quarkus.http.port"))
        .map(Integer::valueOf);
  }

  // --- RBAC: what each ServiceAccount is granted
  // ---------------------------------------------------

  /**
   * Resource ({@code plural.group}) → verbs granted to a service's account through RoleBindings.
   */
  static Map<String, Set<String>> grants(Manifests m, String serviceAccount) {
    Map<String, Set<String>> grants = new TreeMap<>();
    for (RoleBinding rb : m.all(RoleBinding.class)) {
      if (rb.getSubjects().stream().noneMatch(s -> s.getName().equals(serviceAccount))) {
        continue;
      }
      Optional<Role> role =
          m.find(
                  "rbac.authorization.k8s.io",
                  "Role",
                  rb.getMetadata().getNamespace(),
                  rb.getRoleRef().getName())
              .map(Role.class::cast);
      for (PolicyRule rule : role.map(Role::getRules).orElse(List.of())) {
        for (String group : rule.getApiGroups()) {
          for (String plural : rule.getResources()) {
            grants
                .computeIfAbsent(
                    group.isEmpty() ? plural : plural + "." + group, r -> new TreeSet<>())
                .addAll(rule.getVerbs());
          }
        }
      }
    }
    return grants;
  }

  /**
   * What a service's account is granted against what its calls need (both resource → verbs): one
   * sentence for each verb too many and each verb missing.
   */
  static List<String> grantsExactly(
      Manifests m, String serviceAccount, Map<String, Set<String>> needed) {
    List<String> out = new ArrayList<>();
    Map<String, Set<String>> granted = grants(m, serviceAccount);
    Set<String> resources = new TreeSet<>(granted.keySet());
    resources.addAll(needed.keySet());
    for (String resource : resources) {
      Set<String> extra = new TreeSet<>(granted.getOrDefault(resource, Set.of()));
      extra.removeAll(needed.getOrDefault(resource, Set.of()));
      Set<String> missing = new TreeSet<>(needed.getOrDefault(resource, Set.of()));
      missing.removeAll(granted.getOrDefault(resource, Set.of()));
      if (!extra.isEmpty()) {
        out.add(
            "ServiceAccount "
                + serviceAccount
                + " is granted "
                + extra
                + " on "
                + resource
                + ", which none of its calls needs");
      }
      if (!missing.isEmpty()) {
        out.add(
            "ServiceAccount "
                + serviceAccount
                + " needs "
                + missing
                + " on "
                + resource
                + " for its calls, which no Role bound to it grants");
      }
    }
    return out;
  }

  // --- build-workers scale on lag, up to the partitions of their topic
  // ------------------------------

  /** The Deployment scaled on Kafka lag; its ScaledObject must measure what it consumes. */
  static final String SCALED_ON_LAG = "build-worker";

  static List<String> scaling(Manifests m) {
    List<String> out = new ArrayList<>();
    boolean scaled = false;
    for (HasMetadata r : m.all("keda.sh", "ScaledObject")) {
      GenericKubernetesResource so = (GenericKubernetesResource) r;
      String ns = so.getMetadata().getNamespace();
      String target = so.get("spec", "scaleTargetRef", "name");
      Optional<Deployment> deployment =
          m.find("apps", "Deployment", ns, target).map(Deployment.class::cast);
      if (deployment.isEmpty()) {
        continue; // references() reports it
      }
      if (deployment.get().getSpec().getReplicas() != null) {
        out.add(
            id(deployment.get())
                + " sets replicas although "
                + id(so)
                + " scales it: every apply would reset the scale KEDA chose");
      }
      if (!SCALED_ON_LAG.equals(target)) {
        continue;
      }
      scaled = true;
      out.addAll(lagTrigger(m, so, deployment.get()));
    }
    if (!scaled) {
      out.add("no ScaledObject scales " + SCALED_ON_LAG + " on the lag of build.requests");
    }
    return out;
  }

  /**
   * The ScaledObject's one kafka trigger against what the worker really consumes: its settings as
   * the pod gets them (ConfigMaps and env), else its application.properties.
   */
  private static List<String> lagTrigger(
      Manifests m, GenericKubernetesResource so, Deployment worker) {
    List<String> out = new ArrayList<>();
    String ns = so.getMetadata().getNamespace();
    String target = worker.getMetadata().getName();
    Map<String, String> env =
        effectiveEnv(m, ns, worker.getSpec().getTemplate().getSpec().getContainers().get(0));
    Properties props = Sources.applicationProperties(target).orElseGet(Properties::new);
    String topic = configured(env, props, "gantry.topics.build-requests");
    String group = configured(env, props, "gantry.worker.group-id");
    String concurrency = configured(env, props, "gantry.worker.concurrency");
    String bootstrap = configured(env, props, "kafka.bootstrap.servers");

    List<Map<String, Object>> triggers = so.get("spec", "triggers");
    List<Map<String, Object>> kafka =
        (triggers == null ? List.<Map<String, Object>>of() : triggers)
            .stream().filter(t -> "kafka".equals(t.get("type"))).toList();
    if (kafka.size() != 1) {
      out.add(
          id(so)
              + " has "
              + kafka.size()
              + " kafka triggers; it needs exactly one, on the lag of consumer group "
              + group
              + " on "
              + topic
              + " (another trigger would scale on something else, and none scales on nothing)");
      return out;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> meta =
        kafka.get(0).get("metadata") instanceof Map<?, ?> map
            ? (Map<String, Object>) map
            : Map.of();
    if (!Objects.equals(meta.get("topic"), topic)) {
      out.add(
          id(so)
              + " measures the lag on topic "
              + meta.get("topic")
              + " but "
              + target
              + " consumes "
              + topic);
    }
    if (!Objects.equals(meta.get("consumerGroup"), group)) {
      out.add(
          id(so)
              + " measures the lag of consumer group "
              + meta.get("consumerGroup")
              + " but "
              + target
              + " consumes as "
              + group);
    }
    if (!Objects.equals(meta.get("bootstrapServers"), bootstrap)) {
      out.add(
          id(so)
              + " reads the lag from Kafka at "
              + meta.get("bootstrapServers")
              + " but the services' ConfigMap gives "
              + target
              + " "
              + bootstrap);
    }
    if (!Objects.equals(String.valueOf(meta.get("lagThreshold")), concurrency)) {
      out.add(
          id(so)
              + " adds a worker per "
              + meta.get("lagThreshold")
              + " waiting requests but each worker runs "
              + concurrency
              + " builds at once");
    }
    Optional<HasMetadata> kafkaTopic =
        m.all("kafka.strimzi.io", "KafkaTopic").stream()
            .filter(t -> ns.equals(t.getMetadata().getNamespace()) && topicName(t).equals(topic))
            .findFirst();
    if (kafkaTopic.isEmpty()) {
      out.add(
          id(so) + " scales on topic " + topic + ", which no KafkaTopic in the overlay defines");
      return out;
    }
    Number max = so.get("spec", "maxReplicaCount");
    Number partitions = ((GenericKubernetesResource) kafkaTopic.get()).get("spec", "partitions");
    if (max == null || partitions == null || max.intValue() != partitions.intValue()) {
      out.add(
          id(so)
              + " allows "
              + max
              + " workers but "
              + topic
              + " has "
              + partitions
              + " partitions: a worker beyond the partitions gets none and sits idle, fewer leave"
              + " partitions waiting");
    }
    return out;
  }

  /**
   * A Quarkus setting as the service sees it: the environment variable Quarkus maps the key to
   * ({@code gantry.worker.group-id} → {@code GANTRY_WORKER_GROUP_ID}), else application.properties.
   */
  static String configured(Map<String, String> env, Properties props, String key) {
    String variable = key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    return env.containsKey(variable) ? env.get(variable) : props.getProperty(key);
  }
}

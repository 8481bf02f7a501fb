package dev.gantry.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** One rendered kustomization, parsed into fabric8 models, with look-ups the checks share. */
record Manifests(String name, List<HasMetadata> items) {

  /** The module's directory: surefire runs the tests there. */
  static final Path MODULE = Path.of("").toAbsolutePath();

  /** Every folder under overlays/, so that a new overlay is checked without touching a test. */
  static final List<String> OVERLAYS = overlayNames();

  private static final Map<Path, Manifests> RENDERED = new ConcurrentHashMap<>();

  private static List<String> overlayNames() {
    try (Stream<Path> dirs = Files.list(MODULE.resolve("overlays"))) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + MODULE.resolve("overlays"), e);
    }
  }

  static Manifests overlay(String name) {
    return render(MODULE.resolve("overlays").resolve(name));
  }

  static Manifests fixture(String name) {
    return render(MODULE.resolve("src/test/resources/fixtures").resolve(name));
  }

  private static Manifests render(Path dir) {
    return RENDERED.computeIfAbsent(
        dir, d -> parse(d.getFileName().toString(), Kubectl.fromEnvironment().kustomize(d)));
  }

  static Manifests parse(String name, String yaml) {
    Object parsed = new KubernetesSerialization().unmarshal(yaml);
    List<HasMetadata> items = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      list.forEach(item -> items.add((HasMetadata) item));
    } else {
      items.add((HasMetadata) parsed);
    }
    return new Manifests(name, List.copyOf(items));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return items.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Resources of a kind, typed or generic, matched by apiVersion group and kind. */
  List<HasMetadata> all(String group, String kind) {
    return items.stream()
        .filter(i -> i.getKind().equals(kind) && groupOf(i.getApiVersion()).equals(group))
        .toList();
  }

  Optional<HasMetadata> find(String group, String kind, String namespace, String name) {
    return all(group, kind).stream()
        .filter(i -> name.equals(i.getMetadata().getName()))
        .filter(i -> namespace == null || namespace.equals(i.getMetadata().getNamespace()))
        .findFirst();
  }

  boolean has(String group, String kind, String namespace, String name) {
    return find(group, kind, namespace, name).isPresent();
  }

  /**
   * Every pod the overlay leads to: the Deployments' templates, and the pods the operators create
   * from the Kafka and CloudNativePG resources, with the labels Strimzi and CloudNativePG give
   * them.
   */
  List<Pod> pods() {
    List<Pod> pods = new ArrayList<>();
    for (Deployment d : all(Deployment.class)) {
      pods.add(
          new Pod(
              d.getMetadata().getNamespace(),
              "Deployment",
              d.getMetadata().getName(),
              d.getSpec().getTemplate().getMetadata().getLabels(),
              d.getSpec().getTemplate().getSpec()));
    }
    for (HasMetadata pool : all("kafka.strimzi.io", "KafkaNodePool")) {
      String cluster = pool.getMetadata().getLabels().get("strimzi.io/cluster");
      pods.add(
          new Pod(
              pool.getMetadata().getNamespace(),
              "KafkaNodePool",
              pool.getMetadata().getName(),
              Map.of(
                  "strimzi.io/cluster",
                  cluster,
                  "strimzi.io/kind",
                  "Kafka",
                  "strimzi.io/pool-name",
                  pool.getMetadata().getName()),
              null));
    }
    for (HasMetadata cluster : all("postgresql.cnpg.io", "Cluster")) {
      pods.add(
          new Pod(
              cluster.getMetadata().getNamespace(),
              "Cluster",
              cluster.getMetadata().getName(),
              Map.of("cnpg.io/cluster", cluster.getMetadata().getName()),
              null));
    }
    return pods;
  }

  static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  static String id(HasMetadata item) {
    String ns = item.getMetadata().getNamespace();
    return item.getKind() + " " + (ns == null ? "" : ns + "/") + item.getMetadata().getName();
  }

  /** A pod as the cluster would run it; {@code spec} is null for operator-made pods. */
  record Pod(
      String namespace, String ownerKind, String owner, Map<String, String> labels, PodSpec spec) {

    String describe() {
      return ownerKind + " " + namespace + "/" + owner;
    }
  }
}

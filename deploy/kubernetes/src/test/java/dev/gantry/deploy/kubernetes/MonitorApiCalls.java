package dev.gantry.deploy.kubernetes;

import dev.gantry.deploy.kubernetes.ApiRequests.Call;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;

/**
 * Every Kubernetes API call monitor-service makes, written as the same fabric8 DSL call, so that
 * MonitorRoleTest can see which request (and so which RBAC verb) fabric8 turns it into.
 *
 * <p>Kept by hand from monitor-service/src/main/java/dev/gantry/monitor/scrape/PodTargets.java,
 * {@code ready()}: its one call, a list of the pods the router labelled. Analyzer only hands the
 * client to PodTargets. MonitorRoleTest fails when another of monitor-service's classes takes up
 * the client ({@link #CLIENT_HOLDERS}); a new call in PodTargets itself is for whoever adds it to
 * add here.
 */
final class MonitorApiCalls {

  static final String NAMESPACE = "gantry-apps";

  /** The classes of monitor-service's main code that hold a KubernetesClient. */
  static final List<String> CLIENT_HOLDERS =
      List.of(
          "dev/gantry/monitor/domain/Analyzer.java", "dev/gantry/monitor/scrape/PodTargets.java");

  /** What ready() selects by: PodTargets.NAME, TRACK and VERSION. */
  static final Map<String, String> TRACK_LABELS =
      Map.of(
          "app.kubernetes.io/name", "shop",
          "gantry.dev/track", "canary",
          "gantry.dev/version", "v1.4.0");

  private MonitorApiCalls() {}

  static List<Call> all() {
    return List.of(
        new Call(
            "Pod: withLabels().list()",
            c ->
                c.resource(
                        new PodBuilder()
                            .withNewMetadata()
                            .withName("shop-canary-1")
                            .withNamespace(NAMESPACE)
                            .withLabels(TRACK_LABELS)
                            .endMetadata()
                            .build())
                    .createOr(o -> o.update()),
            // ready(): client.pods().inNamespace(ns).withLabels(selector).list().getItems()
            c -> c.pods().inNamespace(NAMESPACE).withLabels(TRACK_LABELS).list().getItems()));
  }
}

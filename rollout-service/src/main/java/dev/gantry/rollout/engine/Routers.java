package dev.gantry.rollout.engine;

import dev.gantry.rollout.config.RolloutConfig;
import dev.gantry.rollout.router.TrafficRouter;
import dev.gantry.rollout.router.kubernetes.KubernetesRouter;
import dev.gantry.rollout.router.kubernetes.KubernetesRouterSettings;
import dev.gantry.rollout.router.local.LocalRouter;
import dev.gantry.rollout.router.local.ProcessBackends;
import dev.gantry.rollout.router.local.WeightedProxy;
import dev.gantry.rollout.router.nginx.NginxRouter;
import dev.gantry.rollout.router.nginx.NginxRouterSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/** The traffic routers this instance offers, by the name apps register with. */
@ApplicationScoped
public class Routers {
  private static final Logger LOG = Logger.getLogger(Routers.class);
  private final Map<String, TrafficRouter> byKind = new ConcurrentHashMap<>();
  private final ProcessBackends processes;
  private final WeightedProxy proxy;

  @Inject
  public Routers(
      RolloutConfig config,
      Vertx vertx,
      Event<ChildCrashed> crashes,
      Instance<KubernetesClient> kubernetes,
      MeterRegistry meters) {
    RolloutConfig.Router.Local local = config.router().local();
    this.processes =
        new ProcessBackends(
            config.shared().root(),
            local.stateDir(),
            local.healthTimeout(),
            app -> crashes.fire(new ChildCrashed(app)),
            restart ->
                meters
                    .counter(
                        "gantry.rollout.child.restarts",
                        "app",
                        restart.app(),
                        "same_port",
                        Boolean.toString(restart.samePort()))
                    .increment());
    this.proxy = new WeightedProxy(vertx);
    String host = local.host().orElseGet(Routers::hostName);
    byKind.put("local", new LocalRouter(processes, proxy, host));
    config.router().nginx().confDir().ifPresent(dir -> byKind.put("nginx", nginx(config, dir)));
    RolloutConfig.Router.Kubernetes k8s = config.router().kubernetes();
    if (k8s.enabled()) {
      byKind.put(
          "kubernetes",
          new KubernetesRouter(
              kubernetes.get(),
              new KubernetesRouterSettings(
                  k8s.namespace(),
                  k8s.image(),
                  k8s.sharedClaim(),
                  k8s.sharedMountPath(),
                  k8s.appPort(),
                  k8s.replicas(),
                  k8s.readyTimeout(),
                  Duration.ofSeconds(2))));
    }
    LOG.infof("traffic routers offered: %s", new TreeSet<>(byKind.keySet()));
  }

  /** The kinds apps may register with here. */
  public Set<String> kinds() {
    return Set.copyOf(byKind.keySet());
  }

  private NginxRouter nginx(RolloutConfig config, Path confDir) {
    RolloutConfig.Router.Nginx nginx = config.router().nginx();
    List<String> test =
        nginx
            .testCommand()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "gantry.router.nginx.conf-dir is set: set gantry.router.nginx.test-command too"));
    List<String> reload =
        nginx
            .reloadCommand()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "gantry.router.nginx.conf-dir is set: set gantry.router.nginx.reload-command too"));
    return new NginxRouter(
        processes, new NginxRouterSettings(confDir, test, reload, Duration.ofSeconds(10)));
  }

  public Optional<TrafficRouter> of(String kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  public ProcessBackends processes() {
    return processes;
  }

  public WeightedProxy proxy() {
    return proxy;
  }

  @PreDestroy
  void close() {
    proxy.close();
    processes.close();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** A child of the app exited unasked; the engine applies the app's route again. */
  public record ChildCrashed(String app) {}
}

package dev.gantry.rollout.router.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.gantry.rollout.router.AppRoute;
import dev.gantry.rollout.router.Backend;
import dev.gantry.rollout.router.RouteState;
import dev.gantry.rollout.router.RouterException;
import dev.gantry.testkit.GoSample;
import dev.gantry.testkit.NginxFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real nginx and real Go binaries, both on loopback. */
class NginxRouterTest {
  @TempDir static Path shared;

  private static final Backend V1 =
      new Backend("1.0.0", "b-1", "aaaa111", "artifacts/hello/1.0.0/gantry-sample");
  private static final Backend V2 =
      new Backend("1.1.0+build.7", "b-2", "bbbb222", "artifacts/hello/1.1.0+build.7/gantry-sample");

  @TempDir Path work;

  private NginxFixture nginx;
  private GoSampleBackends backends;
  private NginxRouter router;
  private int port;

  @BeforeAll
  static void buildSamples() {
    for (Backend backend : List.of(V1, V2)) {
      GoSample.build(shared.resolve(backend.artifact()).getParent(), backend.version());
    }
  }

  @BeforeEach
  void startNginx() {
    nginx = NginxFixture.start(work.resolve("nginx"));
    backends = new GoSampleBackends(shared);
    router = new NginxRouter(backends, settings(nginx.reloadCommand()));
    port = GoSampleBackends.freePort();
  }

  @AfterEach
  void stop() {
    nginx.close();
    backends.close();
  }

  @Test
  void shouldSplitRealTrafficByTheWeightsItRendered() throws IOException {
    RouteState first = router.apply(route(V1, null, 0));
    assertThat(config())
        .contains("upstream gantry_hello {")
        .contains("server 127.0.0.1:" + portOf(first.stable().baseUrl()) + " weight=100")
        .contains("listen 127.0.0.1:" + port + ";")
        .contains("proxy_pass http://gantry_hello;")
        .contains("location = /.gantry/route {")
        .doesNotContain("canary");
    assertThat(PlainHttp.get(port, "/").body()).isEqualTo("1.0.0");

    RouteState state = router.apply(route(V1, V2, 25));

    int stablePort = portOf(state.stable().baseUrl());
    int canaryPort = portOf(state.canary().baseUrl());
    assertThat(stablePort)
        .as("the stable process keeps running")
        .isEqualTo(portOf(first.stable().baseUrl()));
    assertThat(upstreamServers())
        .containsExactly(
            "server 127.0.0.1:" + stablePort + " weight=75 max_fails=0;  # stable 1.0.0",
            "server 127.0.0.1:" + canaryPort + " weight=25 max_fails=0;  # canary 1.1.0+build.7");
    assertThat(state.canary().metricsUrl())
        .isEqualTo("http://127.0.0.1:" + canaryPort + "/metrics");
    assertThat(state.canary().pprofUrl())
        .isEqualTo("http://127.0.0.1:" + canaryPort + "/debug/pprof");
    assertThat(canaryShare(2000, "stable=75 canary=25")).isCloseTo(0.25, within(0.03));

    router.apply(route(V1, V2, 50));

    assertThat(canaryShare(1000, "stable=50 canary=50")).isCloseTo(0.50, within(0.03));
  }

  @Test
  void shouldLeaveATrackAtZeroPercentOutOfTheUpstreamAndStopWhatLeftTheRoute() throws IOException {
    router.apply(route(V1, V2, 0));
    assertThat(upstreamServers()).singleElement().asString().contains("# stable 1.0.0");
    assertThat(backends.running("hello")).as("a canary at 0 %% still runs").hasSize(2);
    assertThat(canaryShare(50, "stable=100 canary=0")).isZero();

    router.apply(route(V1, V2, 100));
    assertThat(upstreamServers()).singleElement().asString().contains("# canary 1.1.0+build.7");
    assertThat(canaryShare(50, "stable=0 canary=100")).isEqualTo(1.0);

    router.apply(route(V2, null, 0)); // promoted
    assertThat(upstreamServers()).singleElement().asString().contains("# stable 1.1.0+build.7");
    assertThat(backends.running("hello")).containsExactly("1.1.0+build.7");
    assertThat(canaryShare(50, "stable=100")).isEqualTo(1.0);
  }

  @Test
  void shouldNotRewriteOrReloadWhenTheSameRouteIsAppliedAgain() throws IOException {
    router.apply(route(V1, V2, 25));
    Path file = nginx.confDir().resolve("gantry-hello.conf");
    FileTime written = FileTime.fromMillis(0);
    Files.setLastModifiedTime(file, written);
    // a reload now would fail: applying the same route again must not need one
    NginxRouter sameDir = new NginxRouter(backends, settings(List.of("false")));

    sameDir.apply(route(V1, V2, 25));

    assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
  }

  @Test
  void shouldRestoreThePreviousFileWhenTheReloadFails() throws IOException {
    router.apply(route(V1, V2, 25));
    String before = config();
    List<String> badReload = new ArrayList<>(nginx.reloadCommand());
    badReload.set(badReload.size() - 1, "no-such-signal");
    NginxRouter broken = new NginxRouter(backends, settings(badReload));

    assertThatThrownBy(() -> broken.apply(route(V1, V2, 50)))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("nginx reload failed");

    assertThat(config()).isEqualTo(before);
    assertThat(canaryShare(400, "stable=75 canary=25")).isCloseTo(0.25, within(0.03));
  }

  @Test
  void shouldRestoreThePreviousFileWhenTheConfigurationTestFails() throws IOException {
    router.apply(route(V1, V2, 25));
    String before = config();
    Path neighbour = nginx.confDir().resolve("someone-else.conf");
    Files.writeString(neighbour, "upstream broken {\n");

    assertThatThrownBy(() -> router.apply(route(V1, V2, 50)))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("nginx configuration test failed")
        .hasMessageContaining("someone-else.conf");

    assertThat(config()).isEqualTo(before);
    Files.delete(neighbour);
    assertThat(canaryShare(400, "stable=75 canary=25")).isCloseTo(0.25, within(0.03));
  }

  @Test
  void shouldRestoreThePreviousFileWhenNginxCannotServeTheNewOne() throws IOException {
    router.apply(route(V1, V2, 25));
    String before = config();
    NginxRouter impatient =
        new NginxRouter(
            backends,
            new NginxRouterSettings(
                nginx.confDir(), testCommand(), nginx.reloadCommand(), Duration.ofSeconds(1)));
    // the test command passes, but the reloading nginx cannot bind a port another process holds
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      AppRoute elsewhere =
          new AppRoute("hello", "/healthz", taken.getLocalPort(), Map.of(), V1, V2, 50);

      assertThatThrownBy(() -> impatient.apply(elsewhere))
          .isInstanceOf(RouterException.class)
          .hasMessageContaining(
              "nginx did not serve the new configuration on port " + taken.getLocalPort());
      // hold the port until nginx has given up on the new file: were it freed while nginx still
      // retries the bind, nginx would load that file (and leave the old port) before the router's
      // reload of the previous file brings the old port back
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> errorLog().contains("still could not bind()"));
    }

    assertThat(config()).isEqualTo(before);
    assertThat(canaryShare(400, "stable=75 canary=25")).isCloseTo(0.25, within(0.03));
  }

  @Test
  void shouldRefuseHostileNamesAndWriteNothing() throws IOException {
    List<AppRoute> hostile =
        List.of(
            route("../../etc/nginx", V1, null, 0),
            route("hello;evil", V1, null, 0),
            route("hello }", V1, null, 0),
            route("hello\n}", V1, null, 0),
            route("Hello", V1, null, 0),
            route("hello", new Backend("1.0 } server {", "b", "c", V1.artifact()), null, 0),
            route("hello", V1, new Backend("v2\n#", "b", "c", V2.artifact()), 5));
    for (AppRoute route : hostile) {
      assertThatThrownBy(() -> router.apply(route))
          .as("%s", route)
          .isInstanceOf(RouterException.class)
          .hasMessageMatching("(?s)(app name|version) .* is not usable with nginx.*");
    }
    assertThatThrownBy(() -> router.remove("../hello")).isInstanceOf(RouterException.class);

    try (Stream<Path> files = Files.list(nginx.confDir())) {
      assertThat(files).isEmpty();
    }
    assertThat(backends.starts()).as("no process started").isZero();
  }

  @Test
  void shouldRemoveTheAppsFileAndStopItsVersions() throws IOException {
    router.apply(route(V1, V2, 25));
    assertThat(PlainHttp.get(port, "/").status()).isEqualTo(200);

    router.remove("hello");
    router.remove("hello"); // gone already: nothing to do

    assertThat(nginx.confDir().resolve("gantry-hello.conf")).doesNotExist();
    assertThat(backends.running("hello")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThatThrownBy(() -> PlainHttp.get(port, "/")).isInstanceOf(Exception.class));
  }

  // --- helpers ---

  private NginxRouterSettings settings(List<String> reload) {
    return new NginxRouterSettings(nginx.confDir(), testCommand(), reload, Duration.ofSeconds(10));
  }

  private List<String> testCommand() {
    return List.of(
        NginxFixture.nginx(), "-p", nginx.prefix() + "/", "-c", "nginx.conf", "-t", "-q");
  }

  private AppRoute route(Backend stable, Backend canary, int weight) {
    return route("hello", stable, canary, weight);
  }

  private AppRoute route(String app, Backend stable, Backend canary, int weight) {
    return new AppRoute(app, "/healthz", port, Map.of(), stable, canary, weight);
  }

  private String config() throws IOException {
    return Files.readString(nginx.confDir().resolve("gantry-hello.conf"));
  }

  private List<String> upstreamServers() throws IOException {
    return config().lines().map(String::strip).filter(l -> l.startsWith("server 127.")).toList();
  }

  private String errorLog() throws IOException {
    return Files.readString(nginx.prefix().resolve("logs/error.log"));
  }

  private long workers() throws IOException {
    long master =
        Long.parseLong(Files.readString(nginx.prefix().resolve("logs/nginx.pid")).strip());
    return ProcessHandle.of(master).map(p -> p.children().count()).orElse(0L);
  }

  private static int portOf(String baseUrl) {
    return Integer.parseInt(baseUrl.substring(baseUrl.lastIndexOf(':') + 1));
  }

  /**
   * Waits until nginx serves with {@code weights} and only its new worker is left (after a reload
   * the old worker still accepts connections until it has finished), then sends {@code requests}
   * and returns the share answered by the canary's version.
   */
  private double canaryShare(int requests, String weights) {
    // nginx retries a port it cannot bind for 2.5 s before it gives up on a reload
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .ignoreException(UncheckedIOException.class)
        .until(
            () ->
                workers() == 1
                    && weights.equals(PlainHttp.get(port, "/").header("X-Gantry-Weights"))
                    && workers() == 1);
    int canary = 0;
    for (int i = 0; i < requests; i++) {
      PlainHttp.Response response = PlainHttp.get(port, "/");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("X-Gantry-Weights")).isEqualTo(weights);
      if (response.body().equals(V2.version())) {
        canary++;
      } else {
        assertThat(response.body()).isEqualTo(V1.version());
      }
    }
    return (double) canary / requests;
  }
}

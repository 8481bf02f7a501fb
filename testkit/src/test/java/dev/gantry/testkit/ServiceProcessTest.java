package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real process: a jar that serves {@code /q/health/ready} and {@code /q/metrics} the way
 * a packaged service does, compiled here so that the test needs no service module.
 */
class ServiceProcessTest {
  private static final String SOURCE =
      """
      import com.sun.net.httpserver.HttpServer;
      import java.net.InetSocketAddress;
      public class FakeService {
        public static void main(String[] args) throws Exception {
          if (Boolean.getBoolean("fake.fail")) {
            System.out.println("cannot start: fake.fail is set");
            System.out.flush();
            System.exit(3);
          }
          HttpServer s = HttpServer.create(new InetSocketAddress(
              System.getProperty("quarkus.http.host"), Integer.getInteger("quarkus.http.port")), 0);
          s.createContext("/q/health/ready", x -> { x.sendResponseHeaders(200, -1); x.close(); });
          s.createContext("/q/metrics", x -> {
            byte[] b = ("fake_up " + System.getProperty("fake.value") + "\\n").getBytes();
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
          });
          if (Boolean.getBoolean("fake.child")) {
            new ProcessBuilder("sleep", "300").start();
          }
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopped gracefully");
            System.out.flush();
          }));
          s.start();
          System.out.println("listening");
          System.out.flush();
        }
      }
      """;

  @TempDir static Path dir;
  private static Path jar;

  @BeforeAll
  static void buildTheFakeService() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src")).resolve("FakeService.java");
    Files.writeString(src, SOURCE);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), src.toString());
    assertThat(rc).as("javac of the fake service").isZero();
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "FakeService");
    jar = ServiceProcess.jarOf(dir.resolve("fake-service"));
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
      for (Path c : Files.list(classes).toList()) {
        jarOut.putNextEntry(new JarEntry(c.getFileName().toString()));
        jarOut.write(Files.readAllBytes(c));
        jarOut.closeEntry();
      }
    }
  }

  @Test
  void shouldStartPassPropertiesAndComeBackOnTheSamePortAfterAKill() throws Exception {
    ServiceProcess service =
        new ServiceProcess("fake", jar, Ports.free(), Map.of("fake.value", "42"), dir.resolve("a"));
    try (service) {
      service.start();
      long first = service.pid();
      assertThat(service.answersReady()).isTrue();
      assertThat(service.metrics()).isEqualTo("fake_up 42\n");
      assertThat(service.url()).isEqualTo("http://127.0.0.1:" + service.port());

      service.kill();
      assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive))
          .isNotEqualTo(java.util.Optional.of(true));
      assertThat(service.answersReady()).isFalse();
      assertThat(service.metrics()).isEmpty();

      service.start();
      assertThat(service.pid()).isNotEqualTo(first);
      assertThat(status(service.url() + "/q/health/ready")).isEqualTo(200);
    }
    // SIGTERM on close: the shutdown hook ran; SIGKILL on kill: it did not
    assertThat(service.tail().lines().filter("stopped gracefully"::equals)).hasSize(1);
    assertThat(service.tail().lines().filter("listening"::equals)).hasSize(2);
  }

  @Test
  void shouldKillTheProcessesTheServiceStartedWithIt() {
    try (ServiceProcess service =
        new ServiceProcess(
            "fake-parent", jar, Ports.free(), Map.of("fake.child", "true"), dir.resolve("b"))) {
      service.start();
      List<ProcessHandle> children =
          ProcessHandle.of(service.pid()).orElseThrow().descendants().toList();

      assertThat(service.killWithItsProcesses()).containsExactly("sleep");
      assertThat(children).hasSize(1);
      children.get(0).onExit().join();
      assertThat(children.get(0).isAlive()).isFalse();
    }
  }

  @Test
  void shouldSayWhyWhenTheServiceExitsBeforeItIsReady() {
    ServiceProcess service =
        new ServiceProcess(
            "fake-broken", jar, Ports.free(), Map.of("fake.fail", "true"), dir.resolve("c"));
    assertThatThrownBy(service::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fake-broken exited with 3")
        .hasMessageContaining("cannot start: fake.fail is set");
  }

  @Test
  void shouldNameTheMissingJar() {
    Path missing = dir.resolve("not-built/target/quarkus-app/quarkus-run.jar");
    ServiceProcess service =
        new ServiceProcess("not-built", missing, Ports.free(), Map.of(), dir.resolve("d"));
    assertThatThrownBy(service::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("package phase");
  }

  private static int status(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}

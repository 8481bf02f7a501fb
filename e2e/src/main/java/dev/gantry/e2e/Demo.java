package dev.gantry.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code ./gantry demo}: runs the {@link Scenario} against the stack that {@code ./gantry up}
 * started, printing each stage as it happens. Exits 1 if any stage did not happen.
 *
 * <p>Arguments: the repository root. Each run registers a new app ({@code hello-<time>}) on the
 * first free proxy port from 9000, so runs never disturb each other or an app of the user's.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Endpoints endpoints = Endpoints.fromEnvFile(root.resolve("var/local.env"));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
    String app = "hello-" + stamp;
    Path work = Files.createDirectories(root.resolve("var/demo/" + app));
    Scenario.Settings settings =
        new Scenario.Settings(
            root.resolve("examples/hello"),
            work,
            app,
            freePortFrom(9000),
            50,
            Duration.ofMinutes(5),
            Duration.ofMinutes(6),
            Scenario.Faults.NONE);
    try {
      new Scenario(endpoints, settings, System.out).run();
      System.out.println("\ndemo: every stage happened.");
    } catch (Scenario.StageFailed | IllegalStateException e) {
      System.out.println();
      System.err.println("demo: a stage did not happen: " + e.getMessage());
      System.err.println("demo: the services' logs: ./gantry logs");
      System.exit(1);
    }
  }

  /** The first port from {@code first} that is free on loopback: the app's proxy port. */
  static int freePortFrom(int first) {
    for (int port = first; port < first + 1000; port++) {
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // the next one
      }
    }
    throw new IllegalStateException("no free port from " + first);
  }
}

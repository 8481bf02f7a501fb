package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx for tests, on a free loopback port, with everything under one folder: its main
 * configuration includes {@code conf.d/*.conf}, where a test (or the nginx traffic router under
 * test) writes upstreams and servers, then calls {@link #reload()}. Started in the foreground as a
 * child process and stopped with {@link #close()}; nothing of the system's nginx is used.
 */
public final class NginxFixture implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 20;

  private final String binary;
  private final Path prefix;
  private final Process process;

  private NginxFixture(String binary, Path prefix, Process process) {
    this.binary = binary;
    this.prefix = prefix;
    this.process = process;
  }

  /**
   * The nginx binary: {@code GANTRY_NGINX} (set by {@code ./gantry test}), then {@code
   * /usr/sbin/nginx}, then {@code nginx} on PATH.
   *
   * @throws IllegalStateException saying how to get nginx when none is found
   */
  public static String nginx() {
    String env = System.getenv("GANTRY_NGINX");
    if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
      return env;
    }
    if (Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
      return "/usr/sbin/nginx";
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "nginx");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        "nginx is needed by this test: run ./gantry test (it installs it), or install Debian's"
            + " nginx, or set GANTRY_NGINX to an nginx binary");
  }

  /** Starts nginx under {@code prefix} with an empty {@code conf.d/}. */
  public static NginxFixture start(Path prefix) {
    try {
      Path root = prefix.toAbsolutePath();
      for (String dir : List.of("conf.d", "logs", "temp")) {
        Files.createDirectories(root.resolve(dir));
      }
      Files.writeString(root.resolve("nginx.conf"), mainConfig(root), StandardCharsets.UTF_8);
      String binary = nginx();
      check(binary, root);
      Process process =
          new ProcessBuilder(command(binary, root, "-g", "daemon off;"))
              .redirectErrorStream(true)
              .redirectOutput(root.resolve("logs/console.log").toFile())
              .start();
      NginxFixture nginx = new NginxFixture(binary, root, process);
      nginx.awaitPidFile();
      return nginx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String mainConfig(Path root) {
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    return user
        + """
        worker_processes 1;
        pid %1$s/logs/nginx.pid;
        error_log %1$s/logs/error.log warn;
        events { worker_connections 1024; }
        http {
          access_log off;
          client_body_temp_path %1$s/temp/client;
          proxy_temp_path %1$s/temp/proxy;
          fastcgi_temp_path %1$s/temp/fastcgi;
          uwsgi_temp_path %1$s/temp/uwsgi;
          scgi_temp_path %1$s/temp/scgi;
          include %1$s/conf.d/*.conf;
        }
        """
            .formatted(root);
  }

  private static List<String> command(String binary, Path root, String... extra) {
    List<String> argv = new ArrayList<>(List.of(binary, "-p", root + "/", "-c", "nginx.conf"));
    argv.addAll(List.of(extra));
    return argv;
  }

  private static void check(String binary, Path root) throws IOException {
    run(command(binary, root, "-t", "-q"), "nginx -t");
  }

  private static void run(List<String> argv, String what) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(what + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " interrupted", e);
    }
  }

  private void awaitPidFile() throws IOException {
    Path pid = prefix.resolve("logs/nginx.pid");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "nginx exited with "
                + process.exitValue()
                + ": "
                + Files.readString(prefix.resolve("logs/console.log")));
      }
      if (Files.exists(pid) && Files.size(pid) > 0) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while nginx started", e);
      }
    }
    close();
    throw new IllegalStateException("nginx did not start in " + TIMEOUT_SECONDS + " s");
  }

  /** Where configuration files go; each {@code *.conf} is included in the {@code http} block. */
  public Path confDir() {
    return prefix.resolve("conf.d");
  }

  /** The folder everything of this nginx lives in. */
  public Path prefix() {
    return prefix;
  }

  /**
   * Checks the configuration, then makes the running nginx load it ({@code nginx -s reload});
   * returns once the check passed and the signal was sent.
   */
  public void reload() {
    try {
      check(binary, prefix);
      run(command(binary, prefix, "-s", "reload"), "nginx -s reload");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The command that reloads this nginx, for code that runs it itself. */
  public List<String> reloadCommand() {
    return command(binary, prefix, "-s", "reload");
  }

  public boolean running() {
    return process.isAlive();
  }

  /** Stops nginx and its workers. */
  @Override
  public void close() {
    process.destroy(); // SIGTERM: nginx stops its workers and exits
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}

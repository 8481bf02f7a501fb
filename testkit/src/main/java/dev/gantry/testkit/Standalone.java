package dev.gantry.testkit;

import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Runs one server as a foreground process for {@code ./gantry up}: prints a ready line that the
 * script waits for, and stops the server cleanly on SIGTERM.
 */
final class Standalone {
  private Standalone() {}

  static <T extends AutoCloseable> void run(
      String name,
      String[] argv,
      int defaultPort,
      Function<Args, T> starter,
      Function<T, String> address) {
    Args args;
    try {
      args = Args.parse(argv, defaultPort);
    } catch (IllegalArgumentException e) {
      System.err.println(name + ": " + e.getMessage());
      System.err.println("usage: --port " + defaultPort + " --dir <data dir>");
      System.exit(2);
      return;
    }
    T server;
    try {
      server = starter.apply(args);
    } catch (RuntimeException e) {
      System.err.println(name + " failed to start: " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println(name + " stopping");
                  try {
                    server.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  System.out.println(name + " stopped");
                  stopped.countDown();
                },
                name + "-shutdown"));
    System.out.println(name + " ready " + address.apply(server));
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

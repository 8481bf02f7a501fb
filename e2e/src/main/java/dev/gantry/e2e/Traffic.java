package dev.gantry.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady traffic through an app's proxy, as its users would send it: a fixed rate of requests to
 * {@code /}, counted by who answered ({@code <greeting> from <version>}) and by status.
 */
final class Traffic implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI uri;
  private final Duration pause;
  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  /** Each sender keeps to its share of the rate; one sender manages about 50 requests a second. */
  private Traffic(int port, int perSecond) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/");
    int senders = Math.max(1, (perSecond + 49) / 50);
    this.pause = Duration.ofNanos(1_000_000_000L * senders / perSecond);
    for (int i = 0; i < senders; i++) {
      Thread t = new Thread(this::loop, "demo-traffic-" + port + "-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
  }

  static Traffic start(int port, int perSecond) {
    Traffic traffic = new Traffic(port, perSecond);
    traffic.threads.forEach(Thread::start);
    return traffic;
  }

  /** One request to the app on {@code port}: who answered, or why nobody did. */
  static String askOnce(int port) {
    return ask(URI.create("http://127.0.0.1:" + port + "/"));
  }

  /** One request now, outside the steady stream: who answered, or why nobody did. */
  String once() {
    return ask(uri);
  }

  private static String ask(URI uri) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? versionOf(r.body()) : "HTTP " + r.statusCode();
    } catch (IOException e) {
      return "unreachable: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Who answered {@code n} requests sent one after another now. */
  Map<String, Integer> sample(int n) {
    Map<String, Integer> answered = new java.util.TreeMap<>();
    for (int i = 0; i < n; i++) {
      answered.merge(once(), 1, Integer::sum);
    }
    return answered;
  }

  Map<Integer, Long> byStatus() {
    Map<Integer, Long> copy = new java.util.TreeMap<>();
    byStatus.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  private void loop() {
    long next = System.nanoTime();
    while (running) {
      String answer = once();
      if (answer.startsWith("HTTP ")) {
        byStatus
            .computeIfAbsent(Integer.parseInt(answer.substring(5)), k -> new LongAdder())
            .increment();
      } else if (!answer.startsWith("unreachable") && !answer.equals("interrupted")) {
        byStatus.computeIfAbsent(200, k -> new LongAdder()).increment();
      }
      next += pause.toNanos();
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      } else {
        next = System.nanoTime(); // behind: do not burst to catch up
      }
    }
  }

  /** {@code "hello from v0.0.0-…\n"} → {@code v0.0.0-…}. */
  static String versionOf(String body) {
    String line = body.strip();
    int from = line.lastIndexOf(" from ");
    return from < 0 ? line : line.substring(from + 6);
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

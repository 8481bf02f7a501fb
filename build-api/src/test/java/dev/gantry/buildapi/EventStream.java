package dev.gantry.buildapi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server-sent-events client as a browser's EventSource parses the stream (one space after the
 * colon dropped, comments skipped, an event dispatched at the blank line), read on its own thread
 * so that a test can wait for each event with a timeout.
 */
final class EventStream implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** One dispatched event; {@code name} is "message" when the stream did not name it. */
  record Event(String id, String name, List<String> data) {}

  private static final Event CLOSED = new Event(null, null, List.of());

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;
  private final AtomicInteger comments = new AtomicInteger();

  private EventStream(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static EventStream open(URI uri, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .header("Accept", "text/event-stream");
    headers.forEach(request::header);
    HttpResponse<InputStream> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
      throw new AssertionError("expected 200, got " + response.statusCode() + ": " + body);
    }
    return new EventStream(response);
  }

  HttpResponse<InputStream> response() {
    return response;
  }

  /** Comment lines (heartbeats) seen so far; an EventSource never dispatches them. */
  int comments() {
    return comments.get();
  }

  /** The next event; fails if none comes in time or the stream closes first. */
  Event next(Duration timeout) throws InterruptedException {
    Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no event within " + timeout);
    }
    if (e == CLOSED) {
      events.add(CLOSED);
      throw new AssertionError("the stream closed");
    }
    return e;
  }

  /** Events until the server closes the stream; fails if it stays open longer than the timeout. */
  List<Event> untilClosed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Event> seen = new ArrayList<>();
    while (true) {
      Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError("the stream stayed open for " + timeout + " after " + seen);
      }
      if (e == CLOSED) {
        events.add(CLOSED);
        return seen;
      }
      seen.add(e);
    }
  }

  /** Nothing dispatched for this long (used only after something that must arrive first). */
  Event poll(Duration timeout) throws InterruptedException {
    Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == CLOSED) {
      events.add(CLOSED);
    }
    return e;
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String name = null;
      List<String> data = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (!data.isEmpty() || name != null) {
            events.add(new Event(id, name == null ? "message" : name, List.copyOf(data)));
          }
          name = null;
          data.clear();
          continue;
        }
        if (line.startsWith(":")) {
          comments.incrementAndGet();
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> name = value;
          case "data" -> data.add(value);
          default -> {}
        }
      }
    } catch (IOException e) {
      // closed by close() or by the server
    } finally {
      events.add(CLOSED);
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // already gone
    }
    reader.interrupt();
  }
}

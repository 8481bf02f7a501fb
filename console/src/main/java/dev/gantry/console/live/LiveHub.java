package dev.gantry.console.live;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fans Kafka events out to the open pages. Nothing is kept: a page that was closed when something
 * happened reads the state from the JSON API when it opens.
 */
@ApplicationScoped
public class LiveHub {
  /** Keeps idle connections open through proxies, and finds the ones whose page is gone. */
  static final Duration HEARTBEAT = Duration.ofSeconds(20);

  /** A page that cannot keep up is not worth the memory; it refetches when it reconnects. */
  static final int MAX_BUFFERED = 256;

  private final Map<MultiEmitter<? super LiveEvent>, LiveFilter> pages = new ConcurrentHashMap<>();
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "console-live-heartbeat");
            t.setDaemon(true);
            return t;
          });

  LiveHub() {
    heartbeat.scheduleAtFixedRate(
        () -> publish(new LiveEvent("heartbeat", null, null, null, "{}")),
        HEARTBEAT.toSeconds(),
        HEARTBEAT.toSeconds(),
        TimeUnit.SECONDS);
  }

  /** The events one page asked for, starting with a {@code ready} event once it is subscribed. */
  public Multi<LiveEvent> subscribe(LiveFilter filter) {
    return Multi.createFrom()
        .<LiveEvent>emitter(
            emitter -> {
              pages.put(emitter, filter);
              emitter.onTermination(() -> pages.remove(emitter));
              emitter.emit(new LiveEvent("ready", null, null, null, "{}"));
            })
        .onOverflow()
        .buffer(MAX_BUFFERED);
  }

  public void publish(LiveEvent event) {
    boolean everyone = "heartbeat".equals(event.kind());
    pages.forEach(
        (emitter, filter) -> {
          if (everyone || filter.matches(event)) {
            emitter.emit(event);
          }
        });
  }

  public int listeners() {
    return pages.size();
  }

  @PreDestroy
  void stop() {
    heartbeat.shutdownNow();
    pages.keySet().forEach(MultiEmitter::complete);
  }
}

package dev.gantry.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.rollout.router.Cancellation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lanes on their own, with work that blocks, counts and watches its cancellation. */
class ConvergenceTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final Map<String, AtomicInteger> converges = new ConcurrentHashMap<>();
  private final List<String> published = new CopyOnWriteArrayList<>();
  private volatile BiConsumer<String, Cancellation> during = (app, c) -> {};
  private final Convergence lanes =
      new Convergence(
          new Convergence.Work() {
            @Override
            public void converge(String app, Cancellation cancellation) {
              converges.computeIfAbsent(app, a -> new AtomicInteger()).incrementAndGet();
              during.accept(app, cancellation);
            }

            @Override
            public void publish(String app) {
              published.add(app);
            }
          });

  @AfterEach
  void close() {
    lanes.close();
  }

  @Test
  void shouldCoalesceTheConvergesAskedForWhileOneRunsIntoOneMore() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    during =
        (app, c) -> {
          running.countDown();
          awaitLatch(release);
        };
    CompletableFuture<Void> first = lanes.converge("a");
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Void>> later =
        List.of(lanes.converge("a"), lanes.converge("a"), lanes.converge("a"));

    release.countDown();

    CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(first).isDone();
    assertThat(converges.get("a")).hasValue(2);
  }

  @Test
  void shouldConvergeAnotherAppWhileOneAppsConvergeWaits() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    during =
        (app, c) -> {
          if (app.equals("slow")) {
            awaitLatch(release);
          }
        };
    CompletableFuture<Void> slow = lanes.converge("slow");

    lanes.converge("fast").get(5, TimeUnit.SECONDS);

    assertThat(slow).isNotDone();
    release.countDown();
    slow.get(5, TimeUnit.SECONDS);
  }

  @Test
  void shouldMakeAWaitGiveWayWhenTheAppIsSupersededAndConvergeAgain() throws Exception {
    AtomicInteger gaveWay = new AtomicInteger();
    during =
        (app, cancellation) -> {
          if (converges.get(app).get() == 1) {
            await().atMost(WAIT).until(cancellation::requested);
            gaveWay.incrementAndGet();
          }
        };
    CompletableFuture<Void> first = lanes.converge("a");
    await().atMost(WAIT).until(() -> converges.containsKey("a"));

    lanes.supersede("b"); // another app's rollback changes nothing here
    assertThat(first).isNotDone();
    lanes.supersede("a");
    lanes.converge("a").get(5, TimeUnit.SECONDS);

    assertThat(gaveWay).hasValue(1);
    assertThat(converges.get("a")).hasValue(2);
  }

  @Test
  void shouldPublishOnTheAppsLaneAndNotAgainWhenAConvergeIsAlsoAsked() throws Exception {
    lanes.publish("a");
    await().atMost(WAIT).until(() -> published.contains("a"));

    CountDownLatch release = new CountDownLatch(1);
    during = (app, c) -> awaitLatch(release);
    CompletableFuture<Void> converged = lanes.converge("a");
    await().atMost(WAIT).until(() -> converges.containsKey("a"));
    lanes.publish("a");
    lanes.converge("a");
    release.countDown();
    converged.get(5, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> converges.get("a").get() == 2);
    assertThat(published).containsExactly("a"); // the second converge published as well
  }

  @Test
  void shouldLetEveryWaitGiveWayAndCompleteWhoWaitsWhenClosed() {
    during = (app, cancellation) -> await().atMost(WAIT).until(cancellation::requested);
    CompletableFuture<Void> waiting = lanes.converge("a");
    await().atMost(WAIT).until(() -> converges.containsKey("a"));

    lanes.close();

    assertThat(waiting).isDone();
    assertThat(lanes.converge("a")).as("nothing runs after a stop").isDone();
    assertThat(converges.get("a")).hasValue(1);
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

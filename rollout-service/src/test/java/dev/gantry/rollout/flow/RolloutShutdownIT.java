package dev.gantry.rollout.flow;

import static dev.gantry.rollout.flow.Releases.publishBuild;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.events.Topics;
import dev.gantry.events.rollout.RolloutPromoted;
import dev.gantry.events.rollout.RolloutStepStarted;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.KafkaEvents;
import dev.gantry.testkit.ServiceProcess;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * rollout-service stopped gracefully (SIGTERM, as {@code ./gantry down} does): the local router's
 * children stop with it instead of being left running without a proxy in front of them.
 */
class RolloutShutdownIT {
  private static final Path STATE = Path.of("target/it-shutdown-children").toAbsolutePath();

  @Test
  void shouldStopTheLocalRoutersChildrenWhenTheServiceStopsGracefully() throws Exception {
    String app = "shutdown-" + UUID.randomUUID().toString().substring(0, 8);
    int proxyPort = Releases.freePort();
    long stablePid;
    long canaryPid;
    ServiceProcess service = PackagedRollout.start("shutdown", Releases.SHARED_ROOT, STATE);
    try {
      given()
          .baseUri(service.url())
          .header("Authorization", "Bearer " + PackagedRollout.OPERATOR_TOKEN)
          .contentType(ContentType.JSON)
          .body(Map.of("name", app, "repo", Releases.repo(app), "listenPort", proxyPort))
          .post("/apps")
          .then()
          .statusCode(201);
      publishBuild(Releases.built(app, "v1"));
      awaitEvent(app, RolloutPromoted.class, e -> e.canary().version().equals("v1"));
      publishBuild(Releases.built(app, "v2"));
      awaitEvent(app, RolloutStepStarted.class, e -> e.stable() != null);
      stablePid = pid(app, "v1");
      canaryPid = pid(app, "v2");
      assertThat(ProcessHandle.of(stablePid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(ProcessHandle.of(canaryPid).map(ProcessHandle::isAlive)).contains(true);
    } finally {
      service.close(); // SIGTERM, and waits for the service to exit
    }

    assertThat(ProcessHandle.of(stablePid).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
    assertThat(ProcessHandle.of(canaryPid).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
    assertThat(Releases.get(proxyPort)).startsWith("unreachable");
    // nothing left for the next start to adopt
    assertThat(Files.exists(STATE.resolve(app).resolve("v1.child"))).isFalse();
    assertThat(Files.exists(STATE.resolve(app).resolve("v2.child"))).isFalse();
  }

  private static <T> void awaitEvent(String app, Class<T> type, Predicate<T> match) {
    KafkaEvents.await(
        GantryInfra.kafka().bootstrapServers(),
        Topics.ROLLOUT_EVENTS,
        r ->
            app.equals(r.key())
                && type.isInstance(r.event().data())
                && match.test(type.cast(r.event().data())),
        1,
        Duration.ofSeconds(60));
  }

  private static long pid(String app, String version) throws Exception {
    Path state = STATE.resolve(app).resolve(version + ".child");
    return Long.parseLong(Files.readString(state).split(" ")[0]);
  }
}

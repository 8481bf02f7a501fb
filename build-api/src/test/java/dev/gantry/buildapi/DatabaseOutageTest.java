package dev.gantry.buildapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.gantry.buildapi.Forge.Kind;
import dev.gantry.buildapi.Forge.Repo;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted while a webhook arrives: the delivery is refused with 503 and a Retry-After
 * (nothing stored, nothing published), and the forge's redelivery of the same delivery, once the
 * database is back, queues exactly one build.
 */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
class DatabaseOutageTest {

  @Test
  void shouldRefuseAWebhookWhileTheDatabaseIsAwayAndBuildItOnceWhenItIsRedelivered() {
    Repo repo = Forge.register(Kind.GITHUB);
    String sha = Forge.sha();
    byte[] body = Forge.push(repo, "refs/heads/main", sha, "Deliver while the database restarts");
    String delivery = Forge.deliveryId();

    GantryInfra.withPostgresStopped(
        () -> {
          Response refused = send(repo, delivery, body);
          assertThat(refused.statusCode()).isEqualTo(503);
          assertThat(refused.contentType()).startsWith("application/problem+json");
          assertThat(refused.header("Retry-After")).isEqualTo("5");
          assertThat(refused.jsonPath().getString("detail"))
              .contains("database is unreachable")
              .doesNotContain("jdbc:")
              .doesNotContain("PSQLException");
        });

    // the pool's connections died with the server: a redelivery may still meet one of them, and
    // is refused the same way until a fresh connection is made
    String id =
        await("the redelivered webhook is queued")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  Response r = send(repo, delivery, body);
                  assertThat(r.statusCode()).isIn(202, 503);
                  return r.statusCode() == 202 ? r.jsonPath().getString("build.id") : null;
                },
                found -> found != null);

    send(repo, delivery, body)
        .then()
        .statusCode(200)
        .body("outcome", equalTo("duplicate"))
        .body("build.id", equalTo(id));
    List<String> builds =
        given()
            .header("Authorization", Forge.VIEWER)
            .get("/builds?repo=" + repo.key())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("items.id");
    assertThat(builds).containsExactly(id);
    Topic.sentinel(repo, "main");
    assertThat(Topic.withKey(repo.key() + "@main"))
        .filteredOn(r -> r.event().data() instanceof BuildRequested)
        .extracting(r -> r.event().subject())
        .containsOnlyOnce(id)
        .hasSize(2); // this build's and the sentinel's
  }

  private static Response send(Repo repo, String delivery, byte[] body) {
    return Forge.delivery(repo, "push", delivery, body).post("/webhooks/github");
  }
}

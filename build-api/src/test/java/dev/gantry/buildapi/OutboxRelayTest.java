package dev.gantry.buildapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.gantry.buildapi.Forge.Kind;
import dev.gantry.buildapi.Forge.Repo;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
class OutboxRelayTest {

  @Test
  void shouldAcceptWebhooksWhileKafkaIsDownAndPublishEachExactlyOnceWhenItIsBack() {
    Repo repo = Forge.register(Kind.GITHUB, List.of(), "none");
    List<String> accepted = new ArrayList<>();
    List<String> commits = new ArrayList<>();

    GantryInfra.withKafkaStopped(
        () -> {
          for (int i = 0; i < 3; i++) {
            String sha = Forge.sha();
            commits.add(sha);
            accepted.add(
                Forge.sendPush(repo, "refs/heads/main", sha, "while the broker is down " + i)
                    .then()
                    .statusCode(202)
                    .body("outcome", equalTo("queued"))
                    .extract()
                    .path("build.id"));
          }
          // acknowledged and stored: the developer can already see the builds
          for (String id : accepted) {
            given()
                .header("Authorization", Forge.VIEWER)
                .get("/builds/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("QUEUED"));
          }
        });

    for (int i = 0; i < accepted.size(); i++) {
      assertThat(Topic.awaitRequested(accepted.get(i)).data(BuildRequested.class).commit())
          .isEqualTo(commits.get(i));
    }
    Topic.sentinel(repo, "main");
    for (String id : accepted) {
      assertThat(Topic.about(id)).hasSize(1);
    }
    // the branch's requests reach the topic in the order the webhooks were accepted
    List<String> order =
        Topic.withKey(repo.key() + "@main").stream()
            .map(r -> r.event().subject())
            .filter(accepted::contains)
            .toList();
    assertThat(order).containsExactlyElementsOf(accepted);
  }
}

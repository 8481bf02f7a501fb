package dev.gantry.buildapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
class OperationsTest {

  @Test
  void shouldReportReadyWithDatabaseAndKafkaChecks() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(
            "checks.name",
            hasItems("Database connections health check", "Kafka connection health check"));
  }

  @Test
  void shouldExposeBuildAndOutboxGauges() {
    Forge.Repo repo = Forge.register(Forge.Kind.GITHUB);
    Forge.sendPush(repo, "refs/heads/main", Forge.sha(), "metrics").then().statusCode(202);

    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("gantry_builds{status=\"QUEUED\"}"))
        .body(containsString("gantry_outbox_pending"))
        .body(containsString("gantry_outbox_lag_seconds"));
  }

  @Test
  void shouldServeOpenApiDocumentOfTheRestApi() {
    given()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(
            "paths.keySet()",
            hasItems(
                "/builds",
                "/builds/{id}",
                "/builds/{id}/cancel",
                "/repos",
                "/webhooks/{provider}"));
  }
}

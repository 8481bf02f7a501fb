package dev.gantry.monitor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.support.AlertReceiver;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.RestReference;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/services/monitor-service.md lists the REST endpoints monitor-service serves; the OpenAPI
 * document of this running instance is the truth it is held to. The sets of (method, path) must be
 * equal, Quarkus' own /q/ endpoints aside, so this fails both when an endpoint is missing from the
 * page and when the page lists one that does not exist.
 */
@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
@QuarkusTestResource(AlertReceiver.class)
// the module's shared resources, as every @QuarkusTest class here declares them, so that Quarkus
// starts once for all of them
@QuarkusTestResource(KubernetesServerTestResource.class)
class RestReferenceTest {
  static final Path PAGE = RestReference.page("monitor-service");

  @Test
  void shouldListExactlyTheEndpointsTheServiceServesWhenReadAgainstItsOpenApiDocument() {
    // no token: the document is public, like the health and metrics endpoints
    String openApi =
        given()
            .queryParam("format", "json")
            .when()
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .asString();

    assertThat(RestReference.differences(PAGE, openApi)).isEmpty();
  }
}

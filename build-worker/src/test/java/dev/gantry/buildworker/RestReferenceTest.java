package dev.gantry.buildworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.KafkaInfra;
import dev.gantry.testkit.RestReference;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * docs/services/build-worker.md lists the REST endpoints build-worker serves; the OpenAPI document
 * of this running instance is the truth it is held to. The sets of (method, path) must be equal,
 * Quarkus' own /q/ endpoints aside, so this fails both when an endpoint is missing from the page
 * and when the page lists one that does not exist. build-worker has no REST API of its own: its
 * table is empty, and an endpoint added to the worker fails this until the page lists it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaInfra.class)
class RestReferenceTest {
  @TestHTTPResource("/")
  URI root;

  // no token: the document is public, like the health and metrics endpoints
  @Test
  void shouldListExactlyTheEndpointsTheServiceServesWhenReadAgainstItsOpenApiDocument() {
    assertThat(RestReference.differences("build-worker", root)).isEmpty();
  }
}

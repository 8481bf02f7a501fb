package dev.gantry.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.support.AlertReceiver;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.RestReference;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import java.net.URI;
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
  @TestHTTPResource("/")
  URI root;

  // no token: the document is public, like the health and metrics endpoints
  @Test
  void shouldListExactlyTheEndpointsTheServiceServesWhenReadAgainstItsOpenApiDocument() {
    assertThat(RestReference.differences("monitor-service", root)).isEmpty();
  }
}

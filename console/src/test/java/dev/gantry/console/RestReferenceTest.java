package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.console.support.ConsoleTestResource;
import dev.gantry.testkit.RestReference;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * docs/services/console.md lists the endpoints the console serves, pages and JSON API alike; the
 * OpenAPI document of this running instance is the truth it is held to.
 */
@QuarkusTest
@QuarkusTestResource(ConsoleTestResource.class)
class RestReferenceTest {
  @TestHTTPResource("/")
  URI root;

  @Test
  void shouldListExactlyTheEndpointsTheServiceServesWhenReadAgainstItsOpenApiDocument() {
    assertThat(RestReference.differences("console", root)).isEmpty();
  }
}

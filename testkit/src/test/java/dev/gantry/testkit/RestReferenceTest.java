package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestReferenceTest {

  private static List<String> page(String... rows) {
    List<String> lines = new ArrayList<>(List.of("# svc", "", "## REST", "", "text", ""));
    lines.add("| method | path | role | what |");
    lines.add("|---|---|---|---|");
    lines.addAll(List.of(rows));
    lines.addAll(List.of("", "## Configuration", "| GET | `/not/rest` | viewer | elsewhere |"));
    return lines;
  }

  @Test
  void shouldReadEveryRowOfTheRestTableAndNothingAfterIt() {
    assertThat(
            RestReference.documented(
                page(
                    "| GET | `/apps/{name}` | viewer | one app |",
                    "| POST | `/apps` | operator | `queue`\\|`replace`; more |"),
                "svc.md"))
        .containsExactly("GET /apps/{name}", "POST /apps");
  }

  @Test
  void shouldRefuseARowThatIsNotAMethodAndAPathInsteadOfSkippingIt() {
    assertThatThrownBy(
            () -> RestReference.documented(page("| get | /apps | viewer | x |"), "svc.md"))
        .hasMessageContaining("svc.md line 9");
    assertThatThrownBy(() -> RestReference.documented(page("| GET /apps | viewer | x |"), "svc.md"))
        .hasMessageContaining("is not");
  }

  @Test
  void shouldRefuseAPageWithoutTheTableInItsFixedForm() {
    assertThatThrownBy(() -> RestReference.documented(List.of("# svc", "## Other"), "svc.md"))
        .hasMessageContaining("no '## REST'");
    assertThatThrownBy(
            () ->
                RestReference.documented(
                    List.of("## REST", "| endpoint | what |", "|---|---|", "| GET /a | x |"),
                    "svc.md"))
        .hasMessageContaining("must be headed");
  }

  @Test
  void shouldTakeOperationsButNotQuarkusEndpointsFromAnOpenApiDocument() {
    String doc =
        """
        {"openapi": "3.1.0", "paths": {
          "/apps": {"get": {}, "post": {}, "parameters": []},
          "/apps/{name}": {"summary": "one app", "put": {}},
          "/q/health": {"get": {}}}}
        """;

    assertThat(RestReference.published(doc))
        .containsExactly("GET /apps", "POST /apps", "PUT /apps/{name}");
    assertThat(RestReference.published("{\"openapi\": \"3.1.0\"}")).isEmpty();
  }

  @Test
  void shouldNameEachEndpointThatIsOnlyOnThePageOrOnlyServed(@TempDir Path dir) throws IOException {
    Path page =
        Files.write(
            dir.resolve("svc.md"),
            page("| GET | `/apps` | viewer | x |", "| GET | `/gone` | viewer | x |"));
    String doc = "{\"paths\": {\"/apps\": {\"get\": {}}, \"/new\": {\"post\": {}}}}";

    assertThat(RestReference.differences(page, doc))
        .containsExactly(
            "POST /new: served, but not in the REST table of " + page,
            "GET /gone: in the REST table of " + page + ", but not served");
  }
}

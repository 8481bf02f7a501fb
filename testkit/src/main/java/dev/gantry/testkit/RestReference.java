package dev.gantry.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A service's REST endpoints as its page under {@code docs/services/} lists them and as its OpenAPI
 * document describes them, both as sorted sets of {@code "METHOD /path"}, so that a test can hold
 * the page to what the service really serves.
 *
 * <p>The page's form is fixed: a heading {@code ## REST}, then a table headed {@code | method |
 * path | role | what |}, one endpoint per row. A row that does not read as a method and a path is
 * an error rather than skipped, so a typo cannot hide an endpoint from the comparison.
 */
public final class RestReference {
  static final String HEADING = "## REST";
  static final List<String> COLUMNS = List.of("method", "path", "role", "what");
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE");

  private RestReference() {}

  /**
   * {@code docs/services/<service>.md} of this checkout: surefire runs a module's tests in the
   * module's folder, whose parent is the repository root.
   */
  public static Path page(String service) {
    return Path.of("").toAbsolutePath().getParent().resolve("docs/services/" + service + ".md");
  }

  /**
   * What differs between the page's REST table and the OpenAPI document, one line per endpoint;
   * empty when they list the same endpoints.
   */
  public static List<String> differences(Path page, String openApiJson) {
    SortedSet<String> documented = documented(page);
    SortedSet<String> published = published(openApiJson);
    List<String> differences = new ArrayList<>();
    for (String endpoint : published) {
      if (!documented.contains(endpoint)) {
        differences.add(endpoint + ": served, but not in the REST table of " + page);
      }
    }
    for (String endpoint : documented) {
      if (!published.contains(endpoint)) {
        differences.add(endpoint + ": in the REST table of " + page + ", but not served");
      }
    }
    return differences;
  }

  /**
   * What differs between {@code docs/services/<service>.md} and the OpenAPI document the service
   * running at {@code root} serves at {@code /q/openapi}, fetched without a token as any client may
   * fetch it.
   */
  public static List<String> differences(String service, URI root) {
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(root.resolve("/q/openapi?format=json")).build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET /q/openapi of " + service + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading /q/openapi", e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET /q/openapi of " + service + " answered " + response.statusCode());
    }
    return differences(page(service), response.body());
  }

  /** The endpoints in the page's REST table. */
  public static SortedSet<String> documented(Path page) {
    try {
      return documented(Files.readAllLines(page), page.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + page, e);
    }
  }

  static SortedSet<String> documented(List<String> lines, String name) {
    int at = lines.indexOf(HEADING);
    if (at < 0) {
      throw new IllegalStateException(name + " has no '" + HEADING + "' heading");
    }
    int header = at + 1;
    while (header < lines.size()
        && !lines.get(header).startsWith("|")
        && !lines.get(header).startsWith("#")) {
      header++;
    }
    if (header + 1 >= lines.size() || !cells(lines.get(header)).equals(COLUMNS)) {
      throw new IllegalStateException(
          name
              + ": the first table under '"
              + HEADING
              + "' must be headed | method | path | role"
              + " | what |");
    }
    SortedSet<String> endpoints = new TreeSet<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      List<String> row = cells(lines.get(i));
      String method = row.size() == COLUMNS.size() ? row.get(0) : "";
      String path = row.size() == COLUMNS.size() ? row.get(1).replace("`", "") : "";
      if (!METHODS.contains(method) || !path.startsWith("/") || path.contains(" ")) {
        throw new IllegalStateException(
            name
                + " line "
                + (i + 1)
                + " is not '| METHOD | `/path` | role | what |': "
                + lines.get(i));
      }
      if (!endpoints.add(method + " " + path)) {
        throw new IllegalStateException(name + " lists " + method + " " + path + " twice");
      }
    }
    return endpoints;
  }

  /** The operations of an OpenAPI document (JSON), without Quarkus' own {@code /q/} endpoints. */
  public static SortedSet<String> published(String openApiJson) {
    JsonNode paths;
    try {
      paths = new ObjectMapper().readTree(openApiJson).path("paths");
    } catch (IOException e) {
      throw new IllegalArgumentException("not an OpenAPI document in JSON", e);
    }
    SortedSet<String> endpoints = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      if (path.getKey().startsWith("/q/")) {
        continue;
      }
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              field -> {
                // a path item also holds "parameters", "summary", …: only methods are operations
                String method = field.toUpperCase(Locale.ROOT);
                if (METHODS.contains(method)) {
                  endpoints.add(method + " " + path.getKey());
                }
              });
    }
    return endpoints;
  }

  /** The cells of a table row, trimmed; an escaped {@code \|} inside a cell does not split it. */
  private static List<String> cells(String row) {
    String inner = row.strip();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    return List.of(inner.split("(?<!\\\\)\\|", -1)).stream().map(String::strip).toList();
  }
}

package dev.gantry.buildapi.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.gantry.buildapi.domain.CloneUrl;
import dev.gantry.edge.ApiException;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds which repository an unverified payload claims to be about — the only thing read from the
 * body before its signature is checked. A streaming pass looks at the URL fields of the top-level
 * {@code repository} (GitHub, Gitea, Forgejo) and {@code project} (GitLab) objects and nothing
 * else; no object is bound.
 */
public final class RepositoryLocator {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> CONTAINERS = Set.of("repository", "project");
  private static final Set<String> URL_FIELDS =
      Set.of("clone_url", "ssh_url", "html_url", "git_http_url", "git_ssh_url", "web_url");

  private RepositoryLocator() {}

  /** The repository keys the payload names, in the order found. */
  public static Set<String> repositoryKeys(byte[] body) {
    Set<String> keys = new LinkedHashSet<>();
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new ApiException.BadRequest("payload is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (CONTAINERS.contains(field) && value == JsonToken.START_OBJECT) {
          collectUrls(p, keys);
        } else {
          p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new ApiException.BadRequest("payload is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ApiException.BadRequest("payload could not be read");
    }
    if (keys.isEmpty()) {
      throw new ApiException.BadRequest(
          "payload names no repository (no repository or project clone URL)");
    }
    return keys;
  }

  private static void collectUrls(JsonParser p, Set<String> keys) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_STRING && URL_FIELDS.contains(field)) {
        CloneUrl.keyOf(p.getText()).ifPresent(keys::add);
      } else {
        p.skipChildren();
      }
    }
  }
}

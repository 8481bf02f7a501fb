package dev.gantry.buildapi.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.buildapi.domain.ApiException;
import dev.gantry.buildapi.domain.GitRef;
import dev.gantry.buildapi.domain.Provider;
import java.io.IOException;

/**
 * Reads the push payloads of GitHub, GitLab ({@code Push Hook} and {@code Tag Push Hook}) and
 * Gitea/Forgejo into one {@link Push}. Runs only after the signature has been verified.
 */
public final class PushParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE = 4096;

  private PushParser() {}

  public static Push parse(Provider provider, byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new ApiException.BadRequest("payload is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new ApiException.BadRequest("payload is not a JSON object");
    }
    GitRef ref = GitRef.parse(requiredText(root, "ref"));
    String after = requiredText(root, "after");
    boolean deleted = GitRef.isZero(after) || root.path("deleted").asBoolean(false);
    if (deleted) {
      return new Push(ref, null, true, null, null);
    }
    String commit =
        provider == Provider.GITLAB && root.hasNonNull("checkout_sha")
            ? root.get("checkout_sha").asText()
            : after;
    GitRef.checkCommit(commit);
    JsonNode head = headCommit(provider, root, commit);
    return new Push(ref, commit, false, message(head), author(head));
  }

  /**
   * GitHub and Gitea name the head commit; GitLab lists commits and we pick the checked-out one.
   */
  private static JsonNode headCommit(Provider provider, JsonNode root, String commit) {
    JsonNode head = root.path("head_commit");
    if (head.isObject()) {
      return head;
    }
    JsonNode commits = root.path("commits");
    if (commits.isArray()) {
      for (JsonNode c : commits) {
        if (commit.equals(c.path("id").asText())) {
          return c;
        }
      }
      if (provider != Provider.GITLAB && !commits.isEmpty()) {
        return commits.get(commits.size() - 1);
      }
    }
    return null;
  }

  private static String message(JsonNode head) {
    if (head == null || !head.path("message").isTextual()) {
      return null;
    }
    String m = head.get("message").asText();
    return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) : m;
  }

  private static String author(JsonNode head) {
    if (head == null) {
      return null;
    }
    JsonNode a = head.path("author");
    String name = a.path("name").asText("");
    String email = a.path("email").asText("");
    if (name.isEmpty() && email.isEmpty()) {
      return null;
    }
    String author = email.isEmpty() ? name : name + " <" + email + ">";
    return author.length() > 512 ? author.substring(0, 512) : author;
  }

  private static String requiredText(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual() || n.asText().isEmpty()) {
      throw new ApiException.BadRequest("push payload has no '" + field + "'");
    }
    return n.asText();
  }
}

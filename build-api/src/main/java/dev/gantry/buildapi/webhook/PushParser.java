package dev.gantry.buildapi.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gantry.buildapi.domain.GitRef;
import dev.gantry.buildapi.domain.Provider;
import dev.gantry.edge.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the push payloads of GitHub, GitLab ({@code Push Hook} and {@code Tag Push Hook}) and
 * Gitea/Forgejo into one {@link Push}. Runs only after the signature has been verified.
 *
 * <p>One streaming pass that keeps only the handful of fields a build needs: a push can list many
 * commits with their file lists, and building a tree of all that was a third of the CPU a webhook
 * cost.
 */
public final class PushParser {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_MESSAGE = 4096;

  private PushParser() {}

  private record Commit(String id, String message, String authorName, String authorEmail) {}

  public static Push parse(Provider provider, byte[] body) {
    String ref = null;
    String after = null;
    String checkoutSha = null;
    boolean deletedFlag = false;
    Commit head = null;
    List<Commit> commits = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new ApiException.BadRequest("payload is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "ref" -> ref = text(p, value);
          case "after" -> after = text(p, value);
          case "checkout_sha" -> checkoutSha = text(p, value);
          case "deleted" -> deletedFlag = value == JsonToken.VALUE_TRUE;
          case "head_commit" -> head = value == JsonToken.START_OBJECT ? commit(p) : skip(p);
          case "commits" -> {
            if (value == JsonToken.START_ARRAY) {
              while (p.nextToken() == JsonToken.START_OBJECT) {
                commits.add(commit(p));
              }
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new ApiException.BadRequest("payload is not valid JSON");
    }
    GitRef gitRef = GitRef.parse(required(ref, "ref"));
    required(after, "after");
    if (GitRef.isZero(after) || deletedFlag) {
      return new Push(gitRef, null, true, null, null);
    }
    String commit = provider == Provider.GITLAB && checkoutSha != null ? checkoutSha : after;
    GitRef.checkCommit(commit);
    Commit headCommit = head != null ? head : pick(provider, commits, commit);
    return new Push(gitRef, commit, false, message(headCommit), author(headCommit));
  }

  /** GitLab lists commits and we pick the checked-out one; Gitea's older versions list only. */
  private static Commit pick(Provider provider, List<Commit> commits, String commit) {
    for (Commit c : commits) {
      if (commit.equals(c.id())) {
        return c;
      }
    }
    return provider != Provider.GITLAB && !commits.isEmpty()
        ? commits.get(commits.size() - 1)
        : null;
  }

  private static Commit commit(JsonParser p) throws IOException {
    String id = null;
    String message = null;
    String name = null;
    String email = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "id" -> id = text(p, value);
        case "message" -> message = text(p, value);
        case "author" -> {
          if (value == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              JsonToken v = p.nextToken();
              if (f.equals("name")) {
                name = text(p, v);
              } else if (f.equals("email")) {
                email = text(p, v);
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return new Commit(id, message, name, email);
  }

  private static Commit skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  private static String required(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw new ApiException.BadRequest("push payload has no '" + field + "'");
    }
    return value;
  }

  private static String message(Commit head) {
    if (head == null || head.message() == null) {
      return null;
    }
    String m = head.message();
    return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) : m;
  }

  private static String author(Commit head) {
    if (head == null) {
      return null;
    }
    String name = head.authorName() == null ? "" : head.authorName();
    String email = head.authorEmail() == null ? "" : head.authorEmail();
    if (name.isEmpty() && email.isEmpty()) {
      return null;
    }
    String author = email.isEmpty() ? name : name + " <" + email + ">";
    return author.length() > 512 ? author.substring(0, 512) : author;
  }
}

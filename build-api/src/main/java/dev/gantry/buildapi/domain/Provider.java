package dev.gantry.buildapi.domain;

import dev.gantry.edge.ApiException;
import java.util.Locale;

/** The forge that sends a repository's webhooks. Forgejo speaks Gitea's webhook dialect. */
public enum Provider {
  GITHUB,
  GITLAB,
  GITEA;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Provider parse(String value) {
    if (value == null) {
      throw new ApiException.BadRequest("provider is required: github, gitlab, gitea or forgejo");
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "github" -> GITHUB;
      case "gitlab" -> GITLAB;
      case "gitea", "forgejo" -> GITEA;
      default ->
          throw new ApiException.BadRequest(
              "unknown provider '" + value + "': expected github, gitlab, gitea or forgejo");
    };
  }
}

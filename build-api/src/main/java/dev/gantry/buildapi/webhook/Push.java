package dev.gantry.buildapi.webhook;

import dev.gantry.buildapi.domain.GitRef;
import java.util.Locale;

/**
 * A push as every forge describes it, once validated.
 *
 * @param deleted the ref was deleted (the new commit is git's all-zero id)
 * @param commit the new head commit; null when deleted
 */
public record Push(GitRef ref, String commit, boolean deleted, String message, String author) {

  /** Commits that ask not to be built, in the spellings GitHub, GitLab and Woodpecker honour. */
  public String skipReason() {
    if (message == null) {
      return null;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    for (String marker : new String[] {"[skip ci]", "[ci skip]"}) {
      if (lower.contains(marker)) {
        return "head commit message contains " + marker;
      }
    }
    return null;
  }
}

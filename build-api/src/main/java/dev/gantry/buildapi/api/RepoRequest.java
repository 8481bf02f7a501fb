package dev.gantry.buildapi.api;

import java.util.List;

/** Registration of a repository. */
public record RepoRequest(
    String cloneUrl,
    String provider,
    String webhookSecret,
    List<String> branches,
    String app,
    String supersede) {

  @Override
  public String toString() {
    return "RepoRequest[" + cloneUrl + ", " + provider + ", app=" + app + "]";
  }
}

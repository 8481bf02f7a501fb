package dev.gantry.buildapi.api;

import dev.gantry.buildapi.domain.BranchFilter;
import dev.gantry.buildapi.domain.Provider;
import dev.gantry.buildapi.domain.SupersedePolicy;
import dev.gantry.buildapi.persistence.RepoEntity;
import java.time.Instant;
import java.util.List;

/** A registered repository. The webhook secret is write-only and never appears here. */
public record RepoView(
    String id,
    String repo,
    String provider,
    String cloneUrl,
    List<String> branches,
    String app,
    String supersede,
    String webhookPath,
    Instant createdAt) {

  public static RepoView of(RepoEntity r) {
    return new RepoView(
        r.id.toString(),
        r.repoKey,
        r.provider,
        r.cloneUrl,
        BranchFilter.deserialize(r.branches).patterns(),
        r.appName,
        SupersedePolicy.valueOf(r.supersede).id(),
        "/webhooks/" + Provider.valueOf(r.provider.toUpperCase(java.util.Locale.ROOT)).id(),
        r.createdAt);
  }
}

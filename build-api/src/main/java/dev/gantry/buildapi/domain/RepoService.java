package dev.gantry.buildapi.domain;

import dev.gantry.buildapi.api.RepoRequest;
import dev.gantry.buildapi.config.BuildApiConfig;
import dev.gantry.buildapi.persistence.RepoEntity;
import dev.gantry.buildapi.persistence.RepoRepository;
import dev.gantry.edge.ApiException;
import dev.gantry.events.id.AppName;
import dev.gantry.events.id.InvalidIdentifierException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
public class RepoService {
  private static final int MIN_SECRET = 16;
  private static final int MAX_SECRET = 256;

  @Inject RepoRepository repos;
  @Inject BuildApiConfig config;

  @Transactional
  public RepoEntity register(RepoRequest request) {
    if (request == null) {
      throw new ApiException.BadRequest("request body is required");
    }
    Provider provider = Provider.parse(request.provider());
    CloneUrl url = CloneUrl.parse(request.cloneUrl(), config.localMode());
    String secret = request.webhookSecret();
    if (secret == null || secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
      throw new ApiException.BadRequest(
          "webhookSecret is required, " + MIN_SECRET + " to " + MAX_SECRET + " characters");
    }
    if (secret.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new ApiException.BadRequest("webhookSecret must not contain control characters");
    }
    String app = request.app();
    try {
      AppName.parse(app);
    } catch (InvalidIdentifierException e) {
      // the name is the app's everywhere: its artifacts' folder, rollout-service's app, its events
      throw new ApiException.BadRequest("app must be " + AppName.RULE + ": " + e.reason());
    }
    BranchFilter branches = new BranchFilter(request.branches());
    SupersedePolicy supersede = SupersedePolicy.parse(request.supersede());
    if (repos.findByKey(url.key()).isPresent()) {
      throw new ApiException.Conflict("repository " + url.key() + " is already registered");
    }
    RepoEntity r = new RepoEntity();
    r.id = UUID.randomUUID();
    r.provider = provider.id();
    r.cloneUrl = url.url();
    r.repoKey = url.key();
    r.webhookSecret = secret;
    r.branches = branches.serialize();
    r.appName = app;
    r.supersede = supersede.name();
    r.createdAt = Instant.now();
    repos.persistAndFlush(r);
    return r;
  }

  public RepoEntity get(String idOrKey) {
    return find(idOrKey).orElseThrow(() -> new ApiException.NotFound("no repository " + idOrKey));
  }

  public java.util.Optional<RepoEntity> find(String idOrKey) {
    try {
      return repos.findByIdOptional(UUID.fromString(idOrKey));
    } catch (IllegalArgumentException notAUuid) {
      return repos.findByKey(idOrKey.toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Transactional
  public void delete(UUID id) {
    if (!repos.deleteById(id)) {
      throw new ApiException.NotFound("no repository " + id);
    }
  }
}

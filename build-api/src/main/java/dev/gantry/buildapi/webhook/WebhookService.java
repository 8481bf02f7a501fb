package dev.gantry.buildapi.webhook;

import dev.gantry.buildapi.config.BuildApiConfig;
import dev.gantry.buildapi.domain.BranchFilter;
import dev.gantry.buildapi.domain.BuildService;
import dev.gantry.buildapi.domain.NewBuild;
import dev.gantry.buildapi.persistence.RepoEntity;
import dev.gantry.buildapi.persistence.RepoRepository;
import dev.gantry.buildapi.webhook.WebhookResult.Outcome;
import dev.gantry.edge.ApiException;
import dev.gantry.events.build.RefType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * Turns one forge delivery into at most one build. The order matters: size, then the signature
 * header, then the repository named in the payload, then the signature itself — nothing in the body
 * is acted on before the signature is verified.
 */
@ApplicationScoped
public class WebhookService {

  @Inject BuildApiConfig config;
  @Inject RepoRepository repos;
  @Inject BuildService builds;

  public WebhookResult receive(Dialect dialect, byte[] body) {
    if (body == null || body.length == 0) {
      throw new ApiException.BadRequest("empty webhook body");
    }
    if (body.length > config.webhook().maxBodyBytes()) {
      throw new ApiException.PayloadTooLarge(
          "webhook body of "
              + body.length
              + " bytes exceeds the limit of "
              + config.webhook().maxBodyBytes());
    }
    ForgeEvent event = dialect.event();
    String signature = dialect.signature();
    if (signature == null) {
      throw new ApiException.Unauthorized(
          dialect.hasOnlyLegacySignature()
              ? "only the SHA-1 X-Hub-Signature was sent; X-Hub-Signature-256 is required"
              : "missing " + dialect.signatureHeaderName() + " header");
    }
    String deliveryId = dialect.deliveryId();

    Set<String> keys = RepositoryLocator.repositoryKeys(body);
    RepoEntity repo =
        repos
            .findByProviderAndKeys(dialect.provider().id(), keys)
            .orElseThrow(
                () ->
                    new ApiException.NotFound(
                        "repository "
                            + keys.iterator().next()
                            + " is not registered for "
                            + dialect.provider().id()
                            + " webhooks"));
    if (!Signatures.verify(dialect.provider(), signature, body, repo.webhookSecret)) {
      throw new ApiException.Unauthorized(
          dialect.signatureHeaderName() + " does not match the repository's webhook secret");
    }

    switch (event) {
      case PING:
        return new WebhookResult(Outcome.PONG, "pong", null);
      case OTHER:
        return new WebhookResult(
            Outcome.IGNORED, "event '" + dialect.eventName() + "' does not trigger builds", null);
      default:
        break;
    }

    Push push = PushParser.parse(dialect.provider(), body);
    if (push.deleted()) {
      return new WebhookResult(
          Outcome.IGNORED, push.ref().full() + " was deleted; nothing to build", null);
    }
    if (push.ref().type() == RefType.BRANCH
        && !BranchFilter.deserialize(repo.branches).matches(push.ref().name())) {
      return new WebhookResult(
          Outcome.IGNORED,
          "branch " + push.ref().name() + " does not match the repository's branch filter",
          null);
    }
    BuildService.Submitted submitted =
        builds.submit(
            new NewBuild(
                repo,
                push.ref(),
                push.commit(),
                push.message(),
                push.author(),
                NewBuild.TRIGGER_WEBHOOK,
                deliveryId,
                push.skipReason()));
    if (!submitted.created()) {
      return new WebhookResult(Outcome.DUPLICATE, "already built or building", submitted.build());
    }
    if (submitted.build().skipReason != null) {
      return new WebhookResult(Outcome.SKIPPED, submitted.build().skipReason, submitted.build());
    }
    return new WebhookResult(Outcome.QUEUED, "build queued", submitted.build());
  }
}

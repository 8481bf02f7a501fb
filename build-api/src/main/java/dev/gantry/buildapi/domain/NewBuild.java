package dev.gantry.buildapi.domain;

import dev.gantry.buildapi.persistence.RepoEntity;

/**
 * A validated request to build one commit of a registered repository.
 *
 * @param deliveryId the forge's delivery id; null for manual builds
 * @param skipReason set when the head commit asked not to be built ({@code [skip ci]})
 */
public record NewBuild(
    RepoEntity repo,
    GitRef ref,
    String commit,
    String message,
    String author,
    String trigger,
    String deliveryId,
    String skipReason) {

  public static final String TRIGGER_WEBHOOK = "webhook";
  public static final String TRIGGER_MANUAL = "manual";
}

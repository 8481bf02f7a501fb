package dev.gantry.buildapi.webhook;

import dev.gantry.buildapi.persistence.BuildEntity;

/** What became of a delivery. */
public record WebhookResult(Outcome outcome, String reason, BuildEntity build) {

  public enum Outcome {
    /** A new build was queued. */
    QUEUED,
    /** Recorded but not built: the head commit asked to be skipped. */
    SKIPPED,
    /** The delivery or its commit already has a build; that build is returned. */
    DUPLICATE,
    /** Nothing to build: a ping. */
    PONG,
    /** Nothing to build: another event type, a deleted branch, a filtered branch. */
    IGNORED
  }
}

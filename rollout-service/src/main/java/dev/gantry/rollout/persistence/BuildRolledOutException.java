package dev.gantry.rollout.persistence;

/** A build starts one rollout at most; this one has had its rollout. */
public class BuildRolledOutException extends RuntimeException {
  public BuildRolledOutException(String buildId, Throwable cause) {
    super("build " + buildId + " has had a rollout already", cause);
  }
}

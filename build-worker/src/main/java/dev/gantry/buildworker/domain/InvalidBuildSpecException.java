package dev.gantry.buildworker.domain;

/** The repository's {@code .gantry.yml} cannot be used; the message says where and why. */
public class InvalidBuildSpecException extends RuntimeException {
  public InvalidBuildSpecException(String message) {
    super(message);
  }
}

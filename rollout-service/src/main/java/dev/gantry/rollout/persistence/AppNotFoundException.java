package dev.gantry.rollout.persistence;

public class AppNotFoundException extends RuntimeException {
  public AppNotFoundException(String app) {
    super("no app " + app);
  }
}

package dev.gantry.rollout.router;

/**
 * Asked by a router while it waits for a version to become ready: whether the wait should give way,
 * because a newer stored state of the app (a rollback, an abort) no longer needs what it waits for,
 * or because the service is stopping. A router that gives way throws {@link
 * RouterException#cancelled}, leaves the weights as they were and stops what it started.
 */
@FunctionalInterface
public interface Cancellation {
  Cancellation NONE = () -> false;

  boolean requested();
}

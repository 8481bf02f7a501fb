package dev.gantry.events.rollout;

import dev.gantry.events.EventData;

/**
 * What every event on {@code rollout.events} carries, whatever happened: which rollout, of which
 * app, and the two versions it is between (each with its build and commit).
 */
public interface RolloutEvent extends EventData {
  String rolloutId();

  String app();

  /** The version being rolled out. */
  Release canary();

  /** The version serving before it; null on an app's first deploy. */
  Release stable();
}

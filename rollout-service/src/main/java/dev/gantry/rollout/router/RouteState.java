package dev.gantry.rollout.router;

import dev.gantry.events.rollout.Target;

/** Where an app's tracks serve after a route was applied; either may be null. */
public record RouteState(Target stable, Target canary) {}

package dev.gantry.buildworker.build;

import java.time.Duration;

/** Receives how long each stage of each build took. */
@FunctionalInterface
public interface StageTimer {
  void record(String stage, Duration took);
}

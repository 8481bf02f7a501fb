package dev.gantry.rollout.domain;

/** The phase of a rollout, computed and never stored, so it cannot disagree with the status. */
public final class Phases {

  private Phases() {}

  public static Phase derive(RolloutSpec spec, RolloutStatus status) {
    if (status.outcome() != null) {
      return switch (status.outcome()) {
        case PROMOTED -> Phase.PROMOTED;
        case ABORTED -> Phase.ABORTED;
        case ROLLED_BACK -> Phase.ROLLED_BACK;
      };
    }
    if (!status.started()) {
      return Phase.PENDING;
    }
    if (status.holds(ConditionType.PAUSED)) {
      return Phase.PAUSED;
    }
    return Phase.PROGRESSING;
  }
}

package dev.gantry.rollout.persistence;

import dev.gantry.rollout.domain.Action;
import dev.gantry.rollout.domain.Phase;
import dev.gantry.rollout.domain.Reasons;
import java.util.ArrayList;
import java.util.List;

/**
 * The history rows a reconcile's actions add, in the order they happened: each phase change, and
 * each step entered with its weight. A step's cause is what completed the step before it (a PASS,
 * an elapsed pause, an operator's promote); the first step is entered with the rollout's start and
 * shares its row.
 */
final class History {

  private History() {}

  static List<Transition> of(List<Action> actions) {
    List<Transition> rows = new ArrayList<>();
    String cause = Reasons.STEP_STARTED;
    Action.StepStarted entered = null;
    for (Action action : actions) {
      if (action instanceof Action.StepCompleted completed) {
        cause = completed.reason();
      } else if (action instanceof Action.StepStarted step) {
        flush(rows, entered, cause);
        entered = step;
      } else if (action instanceof Action.RecordTransition t) {
        if (entered != null && t.from() == Phase.PENDING) {
          rows.add(
              new Transition(
                  t.from(),
                  t.to(),
                  t.reason(),
                  t.message(),
                  t.at(),
                  entered.step(),
                  entered.weight()));
          entered = null;
        } else {
          flush(rows, entered, cause);
          entered = null;
          rows.add(new Transition(t.from(), t.to(), t.reason(), t.message(), t.at(), null, null));
        }
      }
    }
    flush(rows, entered, cause);
    return rows;
  }

  private static void flush(List<Transition> rows, Action.StepStarted step, String cause) {
    if (step != null) {
      rows.add(
          new Transition(
              Phase.PROGRESSING,
              Phase.PROGRESSING,
              cause,
              "step " + step.step() + ": canary at " + step.weight() + " %",
              step.startedAt(),
              step.step(),
              step.weight()));
    }
  }
}

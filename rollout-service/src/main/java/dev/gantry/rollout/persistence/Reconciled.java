package dev.gantry.rollout.persistence;

import dev.gantry.rollout.domain.Action;
import java.util.List;

/**
 * A committed reconcile.
 *
 * @param actions to perform now that the status is stored; empty when nothing changed
 */
public record Reconciled(StoredRollout rollout, List<Action> actions) {

  public Reconciled {
    actions = List.copyOf(actions);
  }

  public <A extends Action> List<A> actions(Class<A> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }
}

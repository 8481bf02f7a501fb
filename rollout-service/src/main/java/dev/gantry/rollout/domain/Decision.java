package dev.gantry.rollout.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of one reconcile: the status to store and the actions to perform once it is stored.
 *
 * @param phase the phase of {@code status}
 * @param wakeAt when a timer must reconcile again even if nothing else happens; empty when only an
 *     event or an operator can move the rollout
 */
public record Decision(
    RolloutStatus status, Phase phase, List<Action> actions, Optional<Instant> wakeAt) {

  public Decision {
    actions = List.copyOf(actions);
  }

  public boolean hasActions() {
    return !actions.isEmpty();
  }

  public <A extends Action> List<A> actions(Class<A> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }
}

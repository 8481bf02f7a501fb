package dev.gantry.buildapi.persistence;

import dev.gantry.buildapi.domain.DeploymentPhase;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<DeploymentEntity, UUID> {

  /**
   * The weight of the newest canary now rolling out with this build as its stable version, if there
   * is one that started after this build's own last change.
   */
  public Optional<Integer> replacingCanaryWeight(DeploymentEntity stable) {
    return find(
            "stableBuildId = ?1 and phase in ?2 and occurredAt > ?3 order by occurredAt desc",
            stable.buildId,
            List.of(DeploymentPhase.PROGRESSING, DeploymentPhase.PAUSED),
            stable.occurredAt)
        .firstResultOptional()
        .map(canary -> canary.weight);
  }
}

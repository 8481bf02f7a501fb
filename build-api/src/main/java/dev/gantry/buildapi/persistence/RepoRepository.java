package dev.gantry.buildapi.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class RepoRepository implements PanacheRepositoryBase<RepoEntity, UUID> {

  public Optional<RepoEntity> findByKey(String repoKey) {
    return find("repoKey", repoKey).firstResultOptional();
  }

  public Optional<RepoEntity> findByProviderAndKeys(String provider, Collection<String> keys) {
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    return find("provider = ?1 and repoKey in ?2", provider, keys).firstResultOptional();
  }

  public List<RepoEntity> listAllByKey() {
    return list("order by repoKey");
  }
}

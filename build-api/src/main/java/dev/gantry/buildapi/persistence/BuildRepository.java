package dev.gantry.buildapi.persistence;

import dev.gantry.buildapi.domain.BuildStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class BuildRepository implements PanacheRepositoryBase<BuildEntity, UUID> {
  /*
   * Statuses as HQL enum literals, not bound parameters: PostgreSQL can match a literal list to the
   * partial indexes builds_one_live_per_commit and builds_active_idx even under a generic plan.
   */
  private static final String LIVE = literals(BuildStatus.LIVE);
  private static final String ACTIVE = literals(List.of(BuildStatus.QUEUED, BuildStatus.RUNNING));

  private static String literals(java.util.Collection<BuildStatus> statuses) {
    return statuses.stream()
        .map(s -> BuildStatus.class.getName() + "." + s.name())
        .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
  }

  /** The queued, running or successful build of this commit on this ref, if there is one. */
  public Optional<BuildEntity> findLive(String repoKey, String ref, String commitSha) {
    return find(
            "repoKey = ?1 and ref = ?2 and commitSha = ?3 and status in " + LIVE,
            repoKey,
            ref,
            commitSha)
        .firstResultOptional();
  }

  /** Queued or running builds of a branch other than {@code except}, oldest first. */
  public List<BuildEntity> findActiveOnRef(String repoKey, String ref, UUID except) {
    return list(
        "repoKey = ?1 and ref = ?2 and id <> ?3 and status in "
            + ACTIVE
            + " and cancelRequestedAt is null order by createdAt",
        repoKey,
        ref,
        except);
  }

  /** The status alone, for callers that ask often (log followers). */
  public Optional<BuildStatus> statusOf(UUID id) {
    return getEntityManager()
        .createQuery("select b.status from BuildEntity b where b.id = :id", BuildStatus.class)
        .setParameter("id", id)
        .getResultStream()
        .findFirst();
  }

  /**
   * Newest first. The cursor is the (createdAt, id) of the last build of the previous page, so
   * pages stay stable while new builds arrive.
   */
  public List<BuildEntity> page(
      String repoKey,
      String refName,
      BuildStatus status,
      Instant afterCreatedAt,
      UUID afterId,
      int limit) {
    List<String> where = new ArrayList<>();
    Parameters params = new Parameters();
    if (repoKey != null) {
      where.add("repoKey = :repo");
      params.and("repo", repoKey);
    }
    if (refName != null) {
      where.add("refName = :ref");
      params.and("ref", refName);
    }
    if (status != null) {
      where.add("status = :status");
      params.and("status", status);
    }
    if (afterCreatedAt != null) {
      where.add("(createdAt < :t or (createdAt = :t and id < :id))");
      params.and("t", afterCreatedAt).and("id", afterId);
    }
    String query =
        (where.isEmpty() ? "" : String.join(" and ", where)) + " order by createdAt desc, id desc";
    return find(query, params).page(0, limit).list();
  }
}

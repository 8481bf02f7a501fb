package dev.gantry.console.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.edge.Role;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The reads behind one page (safe to ask from several threads at once) that draws on several
 * services. A service that is away is asked once and then skipped, so a page waits for a dead
 * service at most once, and names it instead of failing.
 */
public final class Gather {
  private final Upstreams upstreams;
  private final Role role;
  private final Set<String> away = Collections.synchronizedSet(new LinkedHashSet<>());

  public Gather(Upstreams upstreams, Role role) {
    this.upstreams = upstreams;
    this.role = role;
  }

  /** The JSON of a 2xx answer; empty for anything else, or when the service is away. */
  public Optional<JsonNode> json(Service service, String path) {
    return answer(service, path).filter(Answer::ok).map(Answer::json);
  }

  public Optional<Answer> answer(Service service, String path) {
    if (away.contains(service.label())) {
      return Optional.empty();
    }
    try {
      return Optional.of(upstreams.get(service, path, role));
    } catch (UpstreamAway e) {
      away.add(service.label());
      return Optional.empty();
    }
  }

  public Set<String> away() {
    synchronized (away) {
      return Set.copyOf(away);
    }
  }
}

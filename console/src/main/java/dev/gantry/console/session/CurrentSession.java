package dev.gantry.console.session;

import dev.gantry.edge.ApiException;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** The session of the request being served, as the {@code SessionFilter} found it. */
@RequestScoped
public class CurrentSession {
  private Session session;

  public void set(Session session) {
    this.session = session;
  }

  public Optional<Session> get() {
    return Optional.ofNullable(session);
  }

  /** The session; the filter has already refused a request that needs one and has none. */
  public Session require() {
    if (session == null) {
      throw new ApiException.Unauthorized("log in first");
    }
    return session;
  }
}

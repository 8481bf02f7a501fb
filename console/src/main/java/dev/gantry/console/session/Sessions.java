package dev.gantry.console.session;

import dev.gantry.console.config.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The one {@link SessionStore} of this instance. */
@ApplicationScoped
public class Sessions {
  @Produces
  @Singleton
  SessionStore store(ConsoleConfig config) {
    return new SessionStore(Clock.systemUTC(), config.sessionTtl());
  }
}

package dev.gantry.console.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The same two tokens the other services accept: a browser exchanges one for a session, and the
 * console presents it upstream on that session's behalf.
 */
@ConfigMapping(prefix = "gantry.auth")
public interface AuthConfig {
  Optional<String> operatorToken();

  Optional<String> viewerToken();
}

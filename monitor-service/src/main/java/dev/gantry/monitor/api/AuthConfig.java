package dev.gantry.monitor.api;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Bearer tokens for the REST API; an unset or empty token matches nothing. */
@ConfigMapping(prefix = "gantry.auth")
public interface AuthConfig {

  /** Reads and writes. */
  Optional<String> operatorToken();

  /** Reads only. */
  Optional<String> viewerToken();
}

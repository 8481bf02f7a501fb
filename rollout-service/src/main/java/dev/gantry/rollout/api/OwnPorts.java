package dev.gantry.rollout.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The ports rollout-service listens on itself: an app's proxy cannot take its traffic there. Read
 * when asked, because with port 0 (tests) the HTTP port is known only once the server listens.
 */
@ApplicationScoped
public class OwnPorts {

  /** What listens on {@code port} in this service, e.g. "its HTTP port"; empty when nothing. */
  public Optional<String> use(int port) {
    Config config = ConfigProvider.getConfig();
    if (port == actual("quarkus.http.port", config)) {
      return Optional.of("its HTTP port (quarkus.http.port)");
    }
    if (config.getOptionalValue("quarkus.management.enabled", Boolean.class).orElse(false)
        && port == actual("quarkus.management.port", config)) {
      return Optional.of("its management port (quarkus.management.port)");
    }
    return Optional.empty();
  }

  /** Quarkus puts the port it bound in a system property when the configured one was 0. */
  private static int actual(String property, Config config) {
    String bound = System.getProperty(property);
    if (bound != null) {
      try {
        return Integer.parseInt(bound.trim());
      } catch (NumberFormatException e) {
        // fall back to the configuration
      }
    }
    return config.getOptionalValue(property, Integer.class).orElse(-1);
  }
}

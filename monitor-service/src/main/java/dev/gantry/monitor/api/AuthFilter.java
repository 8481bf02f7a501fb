package dev.gantry.monitor.api;

import dev.gantry.edge.BearerTokens;
import dev.gantry.edge.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * monitor-service's rules for the shared bearer tokens: the viewer or operator token for reads, the
 * operator token for writes; only Quarkus' own endpoints under {@code /q/} are open.
 */
public class AuthFilter {

  // a Provider: request filters are created at static init, before runtime config exists
  @Inject jakarta.inject.Provider<AuthConfig> config;

  @ServerRequestFilter
  public Optional<Response> authenticate(ContainerRequestContext request) {
    AuthConfig tokens = config.get();
    return new BearerTokens(tokens.operatorToken(), tokens.viewerToken())
        .admit(
            needed(request.getUriInfo().getPath(), request.getMethod()),
            request.getHeaderString(HttpHeaders.AUTHORIZATION));
  }

  static Role needed(String path, String method) {
    return path.startsWith("/q/") ? Role.NONE : Role.neededFor(method);
  }
}

package dev.gantry.buildapi.api;

import dev.gantry.buildapi.config.BuildApiConfig;
import dev.gantry.edge.BearerTokens;
import dev.gantry.edge.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * build-api's rules for the shared bearer tokens: the operator token for every write and for {@code
 * /repos} (which guards webhook secrets); the viewer or operator token for reads, unless reads are
 * open by configuration. Webhooks authenticate by signature instead.
 */
public class AuthFilter {

  // a Provider: request filters are created at static init, before runtime config exists
  @Inject jakarta.inject.Provider<BuildApiConfig> config;

  @ServerRequestFilter
  public Optional<Response> authenticate(ContainerRequestContext request) {
    BuildApiConfig.Auth auth = config.get().auth();
    Role needed = needed(request.getUriInfo().getPath(), request.getMethod(), auth.openReads());
    return new BearerTokens(auth.operatorToken(), auth.viewerToken())
        .admit(needed, request.getHeaderString(HttpHeaders.AUTHORIZATION));
  }

  static Role needed(String path, String method, boolean openReads) {
    if (path.startsWith("/webhooks/") || path.startsWith("/q/")) {
      return Role.NONE;
    }
    Role needed = path.startsWith("/repos") ? Role.OPERATOR : Role.neededFor(method);
    return needed == Role.VIEWER && openReads ? Role.NONE : needed;
  }
}

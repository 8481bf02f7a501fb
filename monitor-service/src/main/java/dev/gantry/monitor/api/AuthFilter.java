package dev.gantry.monitor.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bearer tokens, as in build-api and rollout-service: the viewer or operator token for reads, the
 * operator token for writes. A missing or unknown token is 401; the viewer token on a write is 403.
 * Tokens are compared in constant time and never logged.
 */
public class AuthFilter {

  enum Role {
    NONE,
    VIEWER,
    OPERATOR
  }

  // a Provider: request filters are created at static init, before runtime config exists
  @Inject jakarta.inject.Provider<AuthConfig> config;

  @ServerRequestFilter
  public Optional<Response> authenticate(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (path.startsWith("/q/")) {
      return Optional.empty();
    }
    boolean write = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
    Role presented = roleOf(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    if (presented == Role.NONE) {
      return Optional.of(
          ProblemMapper.problem(Response.Status.UNAUTHORIZED, "a valid bearer token is required"));
    }
    if (write && presented != Role.OPERATOR) {
      return Optional.of(
          ProblemMapper.problem(Response.Status.FORBIDDEN, "this needs the operator token"));
    }
    return Optional.empty();
  }

  Role roleOf(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Role.NONE;
    }
    byte[] token = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (matches(token, config.get().operatorToken())) {
      return Role.OPERATOR;
    }
    if (matches(token, config.get().viewerToken())) {
      return Role.VIEWER;
    }
    return Role.NONE;
  }

  private static boolean matches(byte[] token, Optional<String> expected) {
    return expected.isPresent()
        && !expected.get().isEmpty()
        && MessageDigest.isEqual(token, expected.get().getBytes(StandardCharsets.UTF_8));
  }
}

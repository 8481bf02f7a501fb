package dev.gantry.edge;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The operator and viewer tokens of one service, and the check of an {@code Authorization} header
 * against them. A missing or unknown token is 401; a token of too small a role is 403. Tokens are
 * compared in constant time and appear in no message, log line or {@link #toString()}.
 */
public final class BearerTokens {
  static final String TOKEN_REQUIRED = "a valid bearer token is required";
  static final String OPERATOR_REQUIRED = "this needs the operator token";
  private static final String SCHEME = "Bearer ";

  private final byte[] operator;
  private final byte[] viewer;

  /** An unset or empty token matches nothing. */
  public BearerTokens(Optional<String> operatorToken, Optional<String> viewerToken) {
    this.operator = bytes(operatorToken);
    this.viewer = bytes(viewerToken);
  }

  /**
   * Nothing when a request that needs {@code needed} may go on with this header; otherwise the
   * problem+json answer to send instead.
   */
  public Optional<Response> admit(Role needed, String authorization) {
    if (needed == Role.NONE) {
      return Optional.empty();
    }
    Role presented = roleOf(authorization);
    if (presented == Role.NONE) {
      return Optional.of(Problems.problem(Status.UNAUTHORIZED, TOKEN_REQUIRED));
    }
    if (needed == Role.OPERATOR && presented != Role.OPERATOR) {
      return Optional.of(Problems.problem(Status.FORBIDDEN, OPERATOR_REQUIRED));
    }
    return Optional.empty();
  }

  /** The role an {@code Authorization} header grants. */
  public Role roleOf(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Role.NONE;
    }
    byte[] token = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
    if (matches(token, operator)) {
      return Role.OPERATOR;
    }
    if (matches(token, viewer)) {
      return Role.VIEWER;
    }
    return Role.NONE;
  }

  @Override
  public String toString() {
    return "BearerTokens[operator "
        + (operator == null ? "unset" : "set")
        + ", viewer "
        + (viewer == null ? "unset" : "set")
        + "]";
  }

  private static byte[] bytes(Optional<String> token) {
    return token
        .filter(t -> !t.isEmpty())
        .map(t -> t.getBytes(StandardCharsets.UTF_8))
        .orElse(null);
  }

  private static boolean matches(byte[] token, byte[] expected) {
    return expected != null && MessageDigest.isEqual(token, expected);
  }
}

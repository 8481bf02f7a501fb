package dev.gantry.console.api;

import dev.gantry.console.config.AuthConfig;
import dev.gantry.console.config.ConsoleConfig;
import dev.gantry.console.session.CurrentSession;
import dev.gantry.console.session.Session;
import dev.gantry.console.session.SessionStore;
import dev.gantry.edge.ApiException;
import dev.gantry.edge.BearerTokens;
import dev.gantry.edge.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/** Logging in with a token or a one-time code, asking who one is, logging out, login links. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
  private static final Logger LOG = Logger.getLogger(SessionResource.class);

  /** Slows down guessing; a person who mistyped a token does not notice it. */
  static final long FAILED_LOGIN_DELAY_MILLIS = 300;

  static final String LOGIN_REFUSED = "that token or login link is not valid (or was used already)";

  @Inject SessionStore sessions;
  @Inject CurrentSession current;
  @Inject ConsoleConfig config;
  @Inject AuthConfig auth;

  /** {@code token} (the operator or viewer token) or {@code code} (from a login link). */
  public record Login(String token, String code, String next) {}

  /**
   * @param next where the login page sends the browser: the asked-for local path, or {@code /}
   */
  public record Who(String role, String csrf, Instant expiresAt, String next) {}

  public record Link(String url) {}

  @POST
  @Path("session")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response login(Login login) {
    Role role = Role.NONE;
    if (login != null && login.token() != null && !login.token().isEmpty()) {
      role = tokens().roleOf("Bearer " + login.token());
    } else if (login != null && sessions.redeem(login.code())) {
      role = Role.OPERATOR;
    }
    if (role == Role.NONE) {
      LOG.info("login refused");
      sleep(FAILED_LOGIN_DELAY_MILLIS);
      throw new ApiException.Unauthorized(LOGIN_REFUSED);
    }
    Session s = sessions.open(role);
    LOG.infof("login as %s", name(role));
    return Response.ok(who(s, Pages.safeNext(login.next())))
        .header(HttpHeaders.SET_COOKIE, cookie(s.id(), sessions.ttl().toSeconds()))
        .header("Cache-Control", "no-store")
        .build();
  }

  @GET
  @Path("session")
  public Response whoami() {
    Session s = current.get().orElseThrow(() -> new ApiException.Unauthorized("not logged in"));
    return Response.ok(who(s, null)).header("Cache-Control", "no-store").build();
  }

  @DELETE
  @Path("session")
  public Response logout(@CookieParam(SessionFilter.COOKIE) String id) {
    sessions.close(id);
    return Response.noContent().header(HttpHeaders.SET_COOKIE, cookie("", 0)).build();
  }

  /**
   * A link that logs a browser in as operator once, within ten minutes: {@code ./gantry demo}
   * prints it so a newcomer is in with one click. The code travels in the fragment, which a browser
   * never sends to a server, so no log or proxy along the way sees it.
   */
  @POST
  @Path("login-links")
  public Response loginLink(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    if (tokens().roleOf(authorization) != Role.OPERATOR) {
      sleep(FAILED_LOGIN_DELAY_MILLIS);
      throw new ApiException.Unauthorized("a login link needs the operator token");
    }
    String base = config.publicUrl().strip().replaceAll("/+$", "");
    return Response.status(Response.Status.CREATED)
        .entity(new Link(base + "/login#code=" + sessions.issueCode()))
        .header("Cache-Control", "no-store")
        .build();
  }

  private BearerTokens tokens() {
    return new BearerTokens(auth.operatorToken(), auth.viewerToken());
  }

  private static Who who(Session s, String next) {
    return new Who(name(s.role()), s.csrf(), s.expiresAt(), next);
  }

  static String name(Role role) {
    return role.name().toLowerCase(Locale.ROOT);
  }

  private String cookie(String value, long maxAge) {
    return SessionFilter.COOKIE
        + "="
        + value
        + "; Path=/; Max-Age="
        + maxAge
        + "; HttpOnly; SameSite=Strict"
        + (config.secureCookie() ? "; Secure" : "");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.gantry.console.api;

import dev.gantry.console.config.ConsoleConfig;
import dev.gantry.console.session.CurrentSession;
import dev.gantry.console.session.Secrets;
import dev.gantry.console.session.Session;
import dev.gantry.console.session.SessionStore;
import dev.gantry.edge.Problems;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.net.URI;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may ask for what. Pages without a session go to the login page (303), the JSON API answers
 * 401; every non-GET must carry the session's CSRF token in {@code X-CSRF-Token} and, when the
 * browser sends an {@code Origin}, come from the console's own origin. A browser attaches a
 * SameSite=Strict cookie to no cross-site request; these two checks hold even where it would.
 */
public class SessionFilter {
  public static final String COOKIE = "gantry_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSRF_REFUSED = "a state-changing request needs the session's X-CSRF-Token";
  static final String ORIGIN_REFUSED = "this request comes from another origin";

  @Inject SessionStore sessions;
  @Inject CurrentSession current;
  @Inject ConsoleConfig config;

  @ServerRequestFilter
  public Optional<Response> filter(ContainerRequestContext ctx) {
    String path = ctx.getUriInfo().getPath();
    String method = ctx.getMethod();
    boolean read = "GET".equals(method) || "HEAD".equals(method);
    Optional<Session> session =
        Optional.ofNullable(ctx.getCookies().get(COOKIE))
            .map(Cookie::getValue)
            .flatMap(sessions::find);
    session.ifPresent(current::set);

    if (!read && !sameOrigin(ctx.getHeaderString("Origin"))) {
      return Optional.of(Problems.problem(Status.FORBIDDEN, ORIGIN_REFUSED));
    }
    if (path.startsWith("/q/") || path.equals("/login")) {
      return Optional.empty();
    }
    if (!path.startsWith("/api/")) {
      // a page: without a session, the login page, which brings the browser back here
      if (session.isEmpty()) {
        return Optional.of(
            Response.seeOther(URI.create(Pages.loginUrl(ctx.getUriInfo().getRequestUri())))
                .build());
      }
      return Optional.empty();
    }
    if (path.equals("/api/session") && !"DELETE".equals(method)) {
      return Optional.empty(); // logging in, or asking whether one is logged in
    }
    if (path.equals("/api/login-links")) {
      return Optional.empty(); // the operator's bearer token, checked by the resource
    }
    if (session.isEmpty()) {
      return Optional.of(Problems.problem(Status.UNAUTHORIZED, "log in first"));
    }
    if (!read && !Secrets.same(ctx.getHeaderString(CSRF_HEADER), session.get().csrf())) {
      return Optional.of(Problems.problem(Status.FORBIDDEN, CSRF_REFUSED));
    }
    return Optional.empty();
  }

  /** No Origin (curl, an old browser) passes; one that is sent must be the console's own. */
  private boolean sameOrigin(String origin) {
    if (origin == null) {
      return true;
    }
    return origin.equals(origin(config.publicUrl()));
  }

  static String origin(String url) {
    URI u = URI.create(url.strip());
    int port = u.getPort();
    return u.getScheme() + "://" + u.getHost() + (port < 0 ? "" : ":" + port);
  }
}

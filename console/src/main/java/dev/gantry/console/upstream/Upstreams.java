package dev.gantry.console.upstream;

import dev.gantry.console.config.AuthConfig;
import dev.gantry.console.config.ConsoleConfig;
import dev.gantry.edge.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The REST APIs of build-api, rollout-service and monitor-service, each asked with the token of the
 * session's role: a viewer's session reads with the viewer token and cannot act even if a request
 * got past the console's own checks.
 */
@ApplicationScoped
public class Upstreams {
  @Inject ConsoleConfig config;
  @Inject AuthConfig auth;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  public Answer get(Service service, String path, Role role) {
    return send(service, request(service, path, role).GET().build());
  }

  public Answer post(Service service, String path, Role role) {
    return send(
        service,
        request(service, path, role)
            .POST(HttpRequest.BodyPublishers.noBody())
            .header("Content-Type", "application/json")
            .build());
  }

  /**
   * A streaming GET (a build's log as server-sent events); the caller closes the body. Its status
   * is checked like any other answer's before the stream is handed over.
   */
  public HttpResponse<InputStream> stream(
      Service service, String path, Role role, String lastEventId) {
    HttpRequest.Builder r =
        request(service, path, role)
            .timeout(Duration.ofDays(1))
            .header("Accept", "text/event-stream");
    if (lastEventId != null && !lastEventId.isBlank()) {
      r.header("Last-Event-ID", lastEventId);
    }
    try {
      HttpResponse<InputStream> response =
          http.send(r.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      refuseTokenProblems(service, response.statusCode());
      return response;
    } catch (IOException e) {
      throw away(service, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw away(service, e);
    }
  }

  private HttpRequest.Builder request(Service service, String path, Role role) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base(service) + path))
            .timeout(config.upstreamTimeout())
            .header("Accept", "application/json");
    token(role).ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private Answer send(Service service, HttpRequest request) {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      refuseTokenProblems(service, r.statusCode());
      return new Answer(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw away(service, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw away(service, e);
    }
  }

  /**
   * A 401 or 403 from upstream is the console's configuration, not the user's session: a page must
   * not read it as "log in again".
   */
  private static void refuseTokenProblems(Service service, int status) {
    if (status == 401 || status == 403) {
      throw new UpstreamAway(
          service, service.label() + " did not accept the console's token (" + status + ")", null);
    }
    if (status == 502 || status == 503 || status == 504) {
      throw new UpstreamAway(service, service.label() + " is unavailable (" + status + ")", null);
    }
  }

  private static UpstreamAway away(Service service, Exception e) {
    return new UpstreamAway(service, service.label() + " does not answer", e);
  }

  private Optional<String> token(Role role) {
    Optional<String> t = role == Role.OPERATOR ? auth.operatorToken() : auth.viewerToken();
    return t.filter(s -> !s.isEmpty());
  }

  private String base(Service service) {
    String url =
        switch (service) {
          case BUILD_API -> config.buildApiUrl();
          case ROLLOUT -> config.rolloutUrl();
          case MONITOR -> config.monitorUrl();
        };
    return url.strip().replaceAll("/+$", "");
  }
}

package dev.gantry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** JSON over HTTP to the services' public REST APIs, with a bearer token. */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String token;

  Api(String token) {
    this.token = token;
  }

  /** An answer that was not what the scenario asked for. */
  static final class UnexpectedStatus extends RuntimeException {
    final int status;

    UnexpectedStatus(String method, String url, int status, String body) {
      super(method + " " + url + " answered " + status + ": " + abbreviate(body));
      this.status = status;
    }
  }

  JsonNode get(String url) {
    return send("GET", url, null, Map.of(), 200).body();
  }

  JsonNode post(String url, Object body, int expected) {
    return send("POST", url, body, Map.of(), expected).body();
  }

  JsonNode put(String url, Object body, int expected) {
    return send("PUT", url, body, Map.of(), expected).body();
  }

  record Answer(int status, JsonNode body) {}

  /** Sends raw bytes, as a forge sends a webhook: the signature covers exactly these bytes. */
  Answer postRaw(String url, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return exchange("POST", url, request.build());
  }

  Answer send(String method, String url, Object body, Map<String, String> headers, int expected) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json");
    headers.forEach(request::header);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    }
    Answer answer = exchange(method, url, request.build());
    if (answer.status() != expected) {
      throw new UnexpectedStatus(method, url, answer.status(), String.valueOf(answer.body()));
    }
    return answer;
  }

  private Answer exchange(String method, String url, HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      byte[] raw = response.body();
      JsonNode parsed = raw.length == 0 ? JSON.nullNode() : parse(raw);
      return new Answer(response.statusCode(), parsed);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method + " " + url, e);
    }
  }

  private static JsonNode parse(byte[] raw) {
    try {
      return JSON.readTree(raw);
    } catch (IOException e) {
      return JSON.getNodeFactory()
          .textNode(new String(raw, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static byte[] bytes(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the request body", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 400 ? s : s.substring(0, 400) + "…";
  }
}

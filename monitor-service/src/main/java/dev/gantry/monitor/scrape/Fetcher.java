package dev.gantry.monitor.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** GETs with a deadline and a size limit: a slow or huge answer is a failure, not a hang. */
public final class Fetcher {
  private final HttpClient http;
  private final Duration timeout;

  public Fetcher(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Why a fetch gave no usable body; the message goes into the sample as its reason. */
  public static final class FetchFailed extends Exception {
    public FetchFailed(String message) {
      super(message);
    }
  }

  public byte[] get(String url, int maxBytes) throws FetchFailed, InterruptedException {
    return get(url, maxBytes, timeout);
  }

  /** With a longer deadline, for an answer that takes time by design (a CPU profile). */
  public byte[] get(String url, int maxBytes, Duration timeout)
      throws FetchFailed, InterruptedException {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    } catch (IllegalArgumentException e) {
      throw new FetchFailed("bad URL " + url);
    }
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new FetchFailed("HTTP " + response.statusCode() + " from " + url);
        }
        byte[] bytes = body.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
          throw new FetchFailed("answer from " + url + " larger than " + maxBytes + " bytes");
        }
        return bytes;
      }
    } catch (HttpTimeoutException e) {
      throw new FetchFailed("timed out after " + timeout.toMillis() + " ms: " + url);
    } catch (IOException e) {
      throw new FetchFailed("cannot reach " + url + ": " + e.getClass().getSimpleName());
    }
  }
}

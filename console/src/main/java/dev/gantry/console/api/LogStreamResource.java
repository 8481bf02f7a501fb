package dev.gantry.console.api;

import dev.gantry.console.session.CurrentSession;
import dev.gantry.console.upstream.Service;
import dev.gantry.console.upstream.UpstreamAway;
import dev.gantry.console.upstream.Upstreams;
import dev.gantry.edge.ApiException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.resteasy.reactive.ResponseHeader;

/**
 * A build's live log, passed through from build-api event by event with its ids, so that a browser
 * that reconnects sends {@code Last-Event-ID} here and build-api resumes from that position.
 */
@Path("/api/builds/{id}/log/stream")
public class LogStreamResource {
  static final String LAST_EVENT_ID = "Last-Event-ID";

  /** One reader per open log; they wait on the network, not the CPU. */
  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "console-log-reader");
            t.setDaemon(true);
            return t;
          });

  @Inject Upstreams upstreams;
  @Inject CurrentSession current;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @ResponseHeader(name = "Cache-Control", value = "no-cache")
  @ResponseHeader(name = "X-Accel-Buffering", value = "no")
  @Blocking
  public Multi<OutboundSseEvent> follow(
      @PathParam("id") String id,
      @HeaderParam(LAST_EVENT_ID) String lastEventId,
      @Context Sse sse) {
    String build = Ids.segment(id, "build");
    String resumeAt =
        lastEventId != null && lastEventId.matches("[0-9]{1,19}") ? lastEventId : null;
    HttpResponse<InputStream> upstream =
        upstreams.stream(
            Service.BUILD_API,
            "/builds/" + build + "/log/stream",
            current.require().role(),
            resumeAt);
    int status = upstream.statusCode();
    if (status != 200) {
      closeQuietly(upstream.body());
      if (status == 404 || status == 400) {
        throw new ApiException.NotFound("no build " + build);
      }
      throw new UpstreamAway(
          Service.BUILD_API, "build-api answered " + status + " for the log", null);
    }
    return Multi.createFrom()
        .emitter(
            emitter -> {
              emitter.onTermination(() -> closeQuietly(upstream.body()));
              READERS.execute(() -> relay(upstream.body(), emitter, sse));
            });
  }

  /** Reads the upstream's events and emits each as it is complete (a blank line ends one). */
  static void relay(InputStream in, MultiEmitter<? super OutboundSseEvent> emitter, Sse sse) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String id = null;
      String name = null;
      StringBuilder data = null;
      String line;
      while ((line = reader.readLine()) != null && !emitter.isCancelled()) {
        if (line.isEmpty()) {
          if (data != null) {
            OutboundSseEvent.Builder b = sse.newEventBuilder().data(String.class, data.toString());

            if (id != null) {
              b.id(id);
            }
            if (name != null) {
              b.name(name);
            }
            emitter.emit(b.build());
          }
          id = null;
          name = null;
          data = null;
        } else if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          // kept with its one leading space: the browser drops exactly that one again
          String value = line.substring(5);
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
      }
      emitter.complete();
    } catch (IOException e) {
      // the upstream or the browser went away: the browser reconnects with Last-Event-ID
      emitter.complete();
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing to do: the stream is gone either way
    }
  }
}

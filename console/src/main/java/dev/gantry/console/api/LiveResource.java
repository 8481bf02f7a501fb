package dev.gantry.console.api;

import dev.gantry.console.live.LiveEvent;
import dev.gantry.console.live.LiveFilter;
import dev.gantry.console.live.LiveHub;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.resteasy.reactive.ResponseHeader;

/**
 * What happens, as it happens: {@code sample}, {@code verdict}, {@code rollout} and {@code build}
 * events for one rollout, app or build (or all of them), so that an open page refetches at once.
 */
@Path("/api/live")
public class LiveResource {
  @Inject LiveHub hub;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @ResponseHeader(name = "Cache-Control", value = "no-cache")
  @ResponseHeader(name = "X-Accel-Buffering", value = "no")
  public Multi<OutboundSseEvent> live(
      @QueryParam("rollout") String rollout,
      @QueryParam("app") String app,
      @QueryParam("build") String build,
      @Context Sse sse) {
    LiveFilter filter = new LiveFilter(blank(rollout), blank(app), blank(build));
    return hub.subscribe(filter).map(e -> event(sse, e));
  }

  private static OutboundSseEvent event(Sse sse, LiveEvent e) {
    if ("heartbeat".equals(e.kind())) {
      return sse.newEventBuilder().comment("keep-alive").build();
    }
    return sse.newEventBuilder().name(e.kind()).data(String.class, e.data()).build();
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}

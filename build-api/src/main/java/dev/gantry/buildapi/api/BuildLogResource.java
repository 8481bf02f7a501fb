package dev.gantry.buildapi.api;

import dev.gantry.buildapi.config.BuildApiConfig;
import dev.gantry.buildapi.domain.BuildService;
import dev.gantry.buildapi.domain.BuildStatus;
import dev.gantry.buildapi.logs.BuildLogs;
import dev.gantry.buildapi.logs.LogFollower;
import dev.gantry.edge.ApiException;
import dev.gantry.events.id.BuildId;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.jboss.resteasy.reactive.PathPart;
import org.jboss.resteasy.reactive.ResponseHeader;

/**
 * A build's log, as the text so far ({@code /log}) or followed live as server-sent events ({@code
 * /log/stream}). Two paths rather than one chosen by {@code Accept}: curl and most HTTP clients
 * send {@code Accept: *}{@code /*}, which would make the choice arbitrary and could leave a plain
 * download hanging on a stream. Positions are byte offsets into the log file, so a client resumes
 * exactly where it stopped. While the build runs only whole lines are served; once it is over,
 * everything.
 */
@Path("/builds/{id}/log")
public class BuildLogResource {
  public static final String LOG_OFFSET = "X-Log-Offset";
  public static final String LAST_EVENT_ID = "Last-Event-ID";
  static final String TEXT = "text/plain;charset=utf-8";

  @Inject BuildService builds;
  @Inject BuildLogs logs;
  @Inject BuildApiConfig config;

  @GET
  @Produces(TEXT)
  public Response text(@PathParam("id") String id, @QueryParam("offset") String offset) {
    UUID build = buildId(id);
    long from = offset("offset", offset);
    // the status before the size: a worker reports the end only after its last write
    BuildStatus status = builds.get(build).status;
    OptionalLong size = logs.size(build);
    long end = from;
    if (size.isPresent() && size.getAsLong() > from) {
      end =
          status.isTerminal() ? size.getAsLong() : logs.lastLineEnd(build, from, size.getAsLong());
    }
    Object body = end > from ? new PathPart(logs.pathOf(build), from, end - from) : "";
    return Response.ok(body, TEXT).header(LOG_OFFSET, end).build();
  }

  @GET
  @Path("/stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @ResponseHeader(name = "Cache-Control", value = "no-cache")
  @ResponseHeader(name = "X-Accel-Buffering", value = "no")
  @Blocking
  public Multi<OutboundSseEvent> follow(
      @PathParam("id") String id,
      @QueryParam("offset") String offset,
      @HeaderParam(LAST_EVENT_ID) String lastEventId,
      @Context Sse sse) {
    UUID build = buildId(id);
    // a reconnecting EventSource repeats the original URL: its Last-Event-ID is the newer position
    long from =
        lastEventId != null && !lastEventId.isBlank()
            ? offset(LAST_EVENT_ID, lastEventId)
            : offset("offset", offset);
    builds.get(build);
    LogFollower follower =
        new LogFollower(
            build,
            from,
            logs,
            () -> builds.statusOf(build),
            config.logs().heartbeat(),
            System::nanoTime);
    Duration interval = config.logs().pollInterval();
    return Multi.createBy()
        .repeating()
        .uni(
            () -> follower,
            f ->
                (f.caughtUp()
                        ? Uni.createFrom().voidItem().onItem().delayIt().by(interval)
                        : Uni.createFrom().voidItem())
                    .chain(
                        () ->
                            Uni.createFrom()
                                .item(f::next)
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())))
        .whilst(step -> !(step instanceof LogFollower.End))
        .onItem()
        .transformToIterable(step -> events(step, sse));
  }

  static List<OutboundSseEvent> events(LogFollower.Step step, Sse sse) {
    if (step instanceof LogFollower.Lines lines) {
      return List.of(
          sse.newEventBuilder()
              .id(Long.toString(lines.chunk().end()))
              .data(String.class, data(lines.chunk().lines()))
              .build());
    }
    if (step instanceof LogFollower.End end && end.status() != null) {
      return List.of(
          sse.newEventBuilder()
              .name("end")
              .id(Long.toString(end.offset()))
              .data(String.class, data(List.of(end.status().name())))
              .build());
    }
    if (step instanceof LogFollower.Idle idle && idle.heartbeat()) {
      return List.of(sse.newEventBuilder().comment("keep-alive").build());
    }
    return List.of();
  }

  /**
   * One {@code data:} line per log line. Quarkus writes {@code data:} without a space and clients
   * drop one space after the colon, so each line gets one: its own leading spaces survive. Quarkus
   * also starts a new line at a carriage return; that one gets its space here too.
   */
  static String data(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append(' ').append(line.replace("\r", "\r "));
    }
    return sb.toString();
  }

  /**
   * Checked before anything touches the disk, and answered like {@code GET /builds/{id}}: an id
   * that is not a UUID names no build. The id is not echoed back.
   */
  static UUID buildId(String id) {
    if (!BuildId.isValid(id)) {
      throw new ApiException.NotFound("no build with that id: build ids are UUIDs");
    }
    return BuildId.parse(id).uuid();
  }

  static long offset(String name, String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      long offset = Long.parseLong(value.trim());
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException.BadRequest(name + " must be a byte offset: a whole number, 0 or more");
  }
}

package dev.gantry.monitor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gantry.edge.ApiException;
import dev.gantry.events.EventCodec;
import dev.gantry.monitor.persistence.MonitorStore;
import dev.gantry.monitor.persistence.MonitorStore.ProfileRow;
import dev.gantry.monitor.persistence.MonitorStore.SampleRow;
import dev.gantry.monitor.persistence.StepRow;
import dev.gantry.monitor.persistence.StoredVerdict;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class AnalysisResource {
  static final int MAX_LIST = 200;

  @Inject MonitorStore store;

  @GET
  @Path("analyses")
  public List<AnalysisView.Summary> analyses(@QueryParam("app") String app) {
    if (app == null || app.isBlank()) {
      throw new ApiException.BadRequest("the query parameter app is required");
    }
    List<StepRow> steps = store.stepsOfApp(app, MAX_LIST);
    Map<String, Map<Integer, String>> verdicts =
        steps.stream()
            .map(StepRow::rolloutId)
            .distinct()
            .collect(Collectors.toMap(id -> id, this::stepVerdicts));
    return steps.stream()
        .map(
            s ->
                new AnalysisView.Summary(
                    s.rolloutId(),
                    s.app(),
                    s.step(),
                    s.weight(),
                    s.canaryVersion(),
                    s.stableVersion(),
                    s.state(),
                    s.stopReason(),
                    verdicts.get(s.rolloutId()).get(s.step()),
                    s.startedAt()))
        .toList();
  }

  private Map<Integer, String> stepVerdicts(String rolloutId) {
    return store.verdictsOfRollout(rolloutId).stream()
        .collect(Collectors.toMap(StoredVerdict::step, StoredVerdict::verdict, (a, b) -> a));
  }

  @GET
  @Path("analyses/{rolloutId}")
  public AnalysisView.Rollout analysis(@PathParam("rolloutId") String rolloutId) {
    List<StepRow> steps = store.stepsOfRollout(rolloutId);
    if (steps.isEmpty()) {
      throw new ApiException.NotFound("no analysis of rollout " + rolloutId);
    }
    Map<Integer, List<SampleRow>> samples =
        store.samplesOfRollout(rolloutId).stream().collect(Collectors.groupingBy(SampleRow::step));
    Map<Integer, List<ProfileRow>> cpu =
        store.cpuProfilesOfRollout(rolloutId).stream()
            .collect(Collectors.groupingBy(ProfileRow::step));
    List<AnalysisView.Step> stepViews =
        steps.stream()
            .map(
                s -> {
                  List<SampleRow> own = samples.getOrDefault(s.step(), List.of());
                  return new AnalysisView.Step(
                      s.step(),
                      s.weight(),
                      s.canaryVersion(),
                      s.stableVersion(),
                      s.canaryCommit(),
                      s.canaryBuildId(),
                      s.state(),
                      s.stopReason(),
                      s.startedAt(),
                      s.deadline(),
                      s.canary(),
                      s.stable(),
                      series(own, "canary"),
                      s.stable() == null ? null : series(own, "stable"),
                      cpu.getOrDefault(s.step(), List.of()).stream()
                          .map(
                              p ->
                                  new AnalysisView.Profile(
                                      p.track(),
                                      p.takenAt(),
                                      p.summary(),
                                      p.top(),
                                      "/profiles/" + p.id()))
                          .toList());
                })
            .toList();
    List<AnalysisView.Issued> issued =
        store.verdictsOfRollout(rolloutId).stream()
            .map(
                v ->
                    new AnalysisView.Issued(
                        v.id(),
                        v.step(),
                        v.eventType(),
                        v.verdict(),
                        v.reason(),
                        v.issuedAt(),
                        v.publishedAt(),
                        json(v.payload())))
            .toList();
    return new AnalysisView.Rollout(rolloutId, steps.get(0).app(), stepViews, issued);
  }

  private static AnalysisView.Series series(List<SampleRow> samples, String track) {
    return new AnalysisView.Series(
        samples.stream()
            .filter(r -> r.track().equals(track))
            .map(
                r ->
                    new AnalysisView.Point(
                        r.seq(),
                        r.takenAt(),
                        r.goroutines(),
                        r.heapInuseBytes(),
                        r.requests(),
                        r.errors(),
                        r.missingReason(),
                        r.profileId() == null ? null : "/profiles/" + r.profileId(),
                        r.latencySum(),
                        r.latencyCount(),
                        r.hostLoadPerCore(),
                        r.cpuSeconds(),
                        r.goGoroutines(),
                        r.rssBytes(),
                        r.heapInuseObjects()))
            .toList());
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String payload) {
    try {
      return EventCodec.mapper().readTree(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored verdict is not JSON", e);
    }
  }

  /** The raw profile as the target sent it: {@code go tool pprof} opens it as it is. */
  @GET
  @Path("profiles/{id}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response profile(@PathParam("id") String id) {
    UUID uuid = ApiException.NotFound.uuid(id, "profile");
    MonitorStore.RawProfile p =
        store.profile(uuid).orElseThrow(() -> new ApiException.NotFound("no profile " + id));
    return Response.ok(p.data(), MediaType.APPLICATION_OCTET_STREAM)
        .header("Content-Disposition", "attachment; filename=\"" + p.kind() + "-" + id + ".pb.gz\"")
        .build();
  }
}

package dev.gantry.edge;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatchAllMapperTest {
  private final CatchAllMapper plain = new CatchAllMapper(List.of());

  @Test
  void shouldAnswerAnApiExceptionWithItsOwnStatusAndMessage() {
    Response r = plain.map(new ApiException.NotFound("no rollout 42"));
    assertThat(r.getStatus()).isEqualTo(404);
    assertThat(((Problem) r.getEntity()).detail()).isEqualTo("no rollout 42");
  }

  @Test
  void shouldAnswerTheFrameworksClientErrorsWithTheirReasonPhraseOnly() {
    Response r = plain.map(new NotAllowedException("GET"));
    assertThat(r.getStatus()).isEqualTo(405);
    assertThat(r.getMediaType().toString()).isEqualTo(Problems.PROBLEM_JSON);
    assertThat(((Problem) r.getEntity()).detail()).isEqualTo("Method Not Allowed");

    Response missing = plain.map(new NotFoundException("/secret/path/of/com.acme.Foo"));
    assertThat(((Problem) missing.getEntity()).detail()).isEqualTo("Not Found");
  }

  @Test
  void shouldTreatAFrameworkServerErrorAsUnexpected() {
    try (LogCapture log = new LogCapture()) {
      Response r = plain.map(new WebApplicationException("upstream at 10.0.0.7", 503));
      Problem p = (Problem) r.getEntity();
      assertThat(r.getStatus()).isEqualTo(500);
      assertThat(p.errorId()).isNotBlank();
      assertThat(p.detail()).doesNotContain("10.0.0.7");
      assertThat(log.text()).contains(p.errorId());
    }
  }

  @Test
  void shouldAskTheServicesTableBeforeCallingAnErrorUnexpected() {
    ProblemTable busy =
        e ->
            e instanceof IllegalMonitorStateException
                ? Optional.of(Problems.problem(Status.SERVICE_UNAVAILABLE, "busy"))
                : Optional.empty();
    CatchAllMapper mapper = new CatchAllMapper(List.of(busy));

    assertThat(mapper.map(new IllegalMonitorStateException()).getStatus()).isEqualTo(503);
    Response other = mapper.map(new IllegalStateException("x"));
    assertThat(other.getStatus()).isEqualTo(500);
    assertThat(((Problem) other.getEntity()).errorId()).isNotBlank();
  }
}

package dev.gantry.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.edge.Problem;
import dev.gantry.rollout.persistence.AppExistsException;
import dev.gantry.rollout.persistence.ConcurrentUpdateException;
import dev.gantry.rollout.persistence.ListenPortTakenException;
import dev.gantry.rollout.router.RouterException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** rollout-service's own rows; what every service shares is tested in the edge module. */
class ProblemMapperTest {
  private final ProblemMapper mapper = new ProblemMapper();

  record Body(String name) {}

  @Test
  void shouldAnswerConflictsWithAReasonTheClientCanSwitchOn() {
    assertThat(problem(mapper.map(new AppExistsException("app hello exists", null))))
        .isEqualTo(
            new Problem("about:blank", "Conflict", 409, "app hello exists", "AppExists", null));

    Problem taken = problem(mapper.map(new ListenPortTakenException(9001, "other")));
    assertThat(taken.reason()).isEqualTo("ListenPortTaken");
    assertThat(taken.detail())
        .isEqualTo(
            "listenPort 9001 is taken by app other; pick another port, or move other to another"
                + " one (PUT /apps/other)");
  }

  @Test
  void shouldAnswerALostRaceWithARetryAndNoId() {
    Response r = mapper.map(new ConcurrentUpdateException(UUID.randomUUID(), 5));
    assertThat(r.getStatus()).isEqualTo(409);
    assertThat(problem(r).detail()).isEqualTo("the rollout changed concurrently; retry");
  }

  @Test
  void shouldAnswerARouterThatCannotActYetAs503() {
    Response r = mapper.map(new RouterException("nginx reload failed"));
    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(problem(r).detail()).isEqualTo("nginx reload failed");
  }

  @Test
  void shouldSayWhereABodyIsWrongButNeverWhichClass() {
    ObjectMapper json = new ObjectMapper();
    JsonProcessingException unknown =
        catchThrowableOfType(
            JsonProcessingException.class, () -> json.readValue("{\"nmae\":\"x\"}", Body.class));
    JsonProcessingException broken =
        catchThrowableOfType(JsonProcessingException.class, () -> json.readTree("{\n  \"name\" x"));

    assertThat(problem(mapper.map(unknown)).detail()).isEqualTo("unknown field 'nmae'");
    assertThat(problem(mapper.map(broken)).detail())
        .startsWith("the body is not valid JSON (line 2, column ")
        .doesNotContain("Exception")
        .doesNotContain("jackson");
  }

  private static Problem problem(Response r) {
    assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
    return (Problem) r.getEntity();
  }
}

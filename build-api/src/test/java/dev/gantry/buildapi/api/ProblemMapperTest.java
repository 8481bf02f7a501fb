package dev.gantry.buildapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import dev.gantry.edge.ApiException;
import dev.gantry.edge.Problem;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ProblemMapperTest {

  @Test
  void shouldMapEachDomainExceptionToItsStatus() {
    assertThat(ProblemMapper.statusOf(new ApiException.BadRequest("x")))
        .isEqualTo(Status.BAD_REQUEST);
    assertThat(ProblemMapper.statusOf(new ApiException.Unauthorized("x")))
        .isEqualTo(Status.UNAUTHORIZED);
    assertThat(ProblemMapper.statusOf(new ApiException.Forbidden("x"))).isEqualTo(Status.FORBIDDEN);
    assertThat(ProblemMapper.statusOf(new ApiException.NotFound("x"))).isEqualTo(Status.NOT_FOUND);
    assertThat(ProblemMapper.statusOf(new ApiException.Conflict("x"))).isEqualTo(Status.CONFLICT);
    assertThat(ProblemMapper.statusOf(new ApiException.PayloadTooLarge("x")))
        .isEqualTo(Status.REQUEST_ENTITY_TOO_LARGE);
    assertThat(ProblemMapper.statusOf(new ApiException.BadGateway("x")))
        .isEqualTo(Status.BAD_GATEWAY);
  }

  @Test
  void shouldMapFrameworkExceptions() {
    assertThat(ProblemMapper.statusOf(new OptimisticLockException())).isEqualTo(Status.CONFLICT);
    assertThat(ProblemMapper.statusOf(new JsonParseException(null, "x")))
        .isEqualTo(Status.BAD_REQUEST);
    assertThat(ProblemMapper.statusOf(new NotAllowedException("GET")))
        .isEqualTo(Status.METHOD_NOT_ALLOWED);
    assertThat(ProblemMapper.statusOf(new IllegalStateException("boom")))
        .isEqualTo(Status.INTERNAL_SERVER_ERROR);
  }

  @Test
  void shouldAnswer503WithRetryAfterOnlyWhenTheDatabaseCannotBeReached() {
    RuntimeException refused =
        new IllegalStateException(
            "query failed", new SQLException("Connection to 127.0.0.1:5433 refused", "08001"));
    RuntimeException shuttingDown =
        new RuntimeException(new SQLException("terminating connection", "57P01"));
    RuntimeException badStatement =
        new RuntimeException(new SQLException("relation does not exist", "42P01"));
    assertThat(ProblemMapper.statusOf(refused)).isEqualTo(Status.SERVICE_UNAVAILABLE);
    assertThat(ProblemMapper.statusOf(shuttingDown)).isEqualTo(Status.SERVICE_UNAVAILABLE);
    assertThat(ProblemMapper.statusOf(badStatement)).isEqualTo(Status.INTERNAL_SERVER_ERROR);

    Response r = new ProblemMapper().answer(refused).orElseThrow();
    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
    assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
    assertThat(((Problem) r.getEntity()).detail())
        .contains("database is unreachable")
        .doesNotContain("5433");
  }

  @Test
  void shouldLeaveAnyOtherErrorToTheEdgesCatchAll() {
    ProblemMapper table = new ProblemMapper();
    assertThat(table.answer(new IllegalStateException("secret detail at com.acme.Foo"))).isEmpty();
    assertThat(table.answer(new RuntimeException(new SQLException("syntax", "42601")))).isEmpty();
  }
}

package dev.gantry.edge;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProblemsTest {
  private final LogCapture log = new LogCapture();

  @AfterEach
  void releaseLog() {
    log.close();
  }

  @Test
  void shouldAnswerProblemJsonWithTheStatusAsTitle() {
    Response r = Problems.problem(Response.Status.BAD_REQUEST, "ref is missing");
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
    assertThat(r.getEntity())
        .isEqualTo(new Problem("about:blank", "Bad Request", 400, "ref is missing", null, null));
    assertThat(r.getHeaderString("WWW-Authenticate")).isNull();
  }

  @Test
  void shouldAnswerAnApiExceptionWithItsStatusMessageAndReason() {
    Response r = Problems.of(new ApiException.Conflict("IllegalTransition", "already promoted"));
    assertThat(r.getStatus()).isEqualTo(409);
    assertThat(r.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank", "Conflict", 409, "already promoted", "IllegalTransition", null));
  }

  @Test
  void shouldCarryTheStatusOfEachApiException() {
    assertThat(new ApiException.BadRequest("x").status().getStatusCode()).isEqualTo(400);
    assertThat(new ApiException.Unauthorized("x").status().getStatusCode()).isEqualTo(401);
    assertThat(new ApiException.Forbidden("x").status().getStatusCode()).isEqualTo(403);
    assertThat(new ApiException.NotFound("x").status().getStatusCode()).isEqualTo(404);
    assertThat(new ApiException.Conflict("x").status().getStatusCode()).isEqualTo(409);
    assertThat(new ApiException.Conflict("x").reason()).isNull();
    assertThat(new ApiException.PayloadTooLarge("x").status().getStatusCode()).isEqualTo(413);
    assertThat(new ApiException.BadGateway("x").status().getStatusCode()).isEqualTo(502);
  }

  @Test
  void shouldAnswerAnIdThatIsNotAUuidAsNotFound() {
    assertThat(ApiException.NotFound.uuid("6f1c1f4e-1d0b-4c1e-9a57-0f6a3c1b2d3e", "alert"))
        .hasToString("6f1c1f4e-1d0b-4c1e-9a57-0f6a3c1b2d3e");
    ApiException.NotFound e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ApiException.NotFound.class, () -> ApiException.NotFound.uuid("nope", "alert"));
    assertThat(e).hasMessage("no alert nope");
  }

  @Test
  void shouldHideAnUnexpectedErrorBehindAnIdThatTheLogHasWithTheDetails() {
    IllegalStateException boom = new IllegalStateException("secret detail at com.acme.Foo");

    Response r = Problems.unexpected(boom);

    Problem p = (Problem) r.getEntity();
    assertThat(r.getStatus()).isEqualTo(500);
    assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
    assertThat(p.detail())
        .isEqualTo("unexpected error; the server log has the details under this errorId")
        .doesNotContain("secret");
    assertThat(p.errorId()).matches("[0-9a-f-]{36}");
    assertThat(p.toString()).doesNotContain("IllegalState").doesNotContain("com.acme");
    assertThat(log.records())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.getLevel().getName()).isEqualTo("ERROR");
              assertThat(LogCapture.message(line)).isEqualTo("unexpected error " + p.errorId());
              assertThat(line.getThrown()).isSameAs(boom);
            });
  }

  @Test
  void shouldGiveEachUnexpectedErrorItsOwnId() {
    Problem first = (Problem) Problems.unexpected(new RuntimeException()).getEntity();
    Problem second = (Problem) Problems.unexpected(new RuntimeException()).getEntity();
    assertThat(first.errorId()).isNotEqualTo(second.errorId());
  }
}

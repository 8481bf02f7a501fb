package dev.gantry.edge;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerTokensTest {
  private static final String OPERATOR = "operator-token-0123456789";
  private static final String VIEWER = "viewer-token-0123456789";
  private final BearerTokens tokens = new BearerTokens(Optional.of(OPERATOR), Optional.of(VIEWER));

  @Test
  void shouldGrantTheRoleOfTheTokenPresented() {
    assertThat(tokens.roleOf("Bearer " + OPERATOR)).isEqualTo(Role.OPERATOR);
    assertThat(tokens.roleOf("Bearer " + VIEWER)).isEqualTo(Role.VIEWER);
    assertThat(tokens.roleOf("bearer  " + VIEWER + " ")).isEqualTo(Role.VIEWER);
  }

  @Test
  void shouldGrantNothingForAMissingMalformedOrUnknownToken() {
    assertThat(tokens.roleOf(null)).isEqualTo(Role.NONE);
    assertThat(tokens.roleOf("")).isEqualTo(Role.NONE);
    assertThat(tokens.roleOf(OPERATOR)).isEqualTo(Role.NONE);
    assertThat(tokens.roleOf("Basic " + OPERATOR)).isEqualTo(Role.NONE);
    assertThat(tokens.roleOf("Bearer " + OPERATOR + "x")).isEqualTo(Role.NONE);
    assertThat(tokens.roleOf("Bearer ")).isEqualTo(Role.NONE);
  }

  @Test
  void shouldMatchNothingWhenATokenIsUnsetOrEmpty() {
    BearerTokens none = new BearerTokens(Optional.empty(), Optional.of(""));
    assertThat(none.roleOf("Bearer ")).isEqualTo(Role.NONE);
    assertThat(none.roleOf("Bearer x")).isEqualTo(Role.NONE);
    assertThat(none.admit(Role.VIEWER, "Bearer ")).isPresent();
  }

  @Test
  void shouldAnswer401WithAChallengeWhenNoValidTokenIsPresented() {
    Response r = tokens.admit(Role.VIEWER, "Bearer wrong").orElseThrow();
    assertThat(r.getStatus()).isEqualTo(401);
    assertThat(r.getMediaType().toString()).isEqualTo(Problems.PROBLEM_JSON);
    assertThat(r.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer realm=\"gantry\"");
    assertThat(((Problem) r.getEntity()).detail()).isEqualTo("a valid bearer token is required");
  }

  @Test
  void shouldAnswer403WhenTheViewerTokenIsPresentedWhereTheOperatorsIsNeeded() {
    Response r = tokens.admit(Role.OPERATOR, "Bearer " + VIEWER).orElseThrow();
    assertThat(r.getStatus()).isEqualTo(403);
    assertThat(r.getHeaderString("WWW-Authenticate")).isNull();
    assertThat(((Problem) r.getEntity()).detail()).isEqualTo("this needs the operator token");
  }

  @Test
  void shouldAdmitEnoughRolesAndOpenPathsWithoutAToken() {
    assertThat(tokens.admit(Role.VIEWER, "Bearer " + VIEWER)).isEmpty();
    assertThat(tokens.admit(Role.VIEWER, "Bearer " + OPERATOR)).isEmpty();
    assertThat(tokens.admit(Role.OPERATOR, "Bearer " + OPERATOR)).isEmpty();
    assertThat(tokens.admit(Role.NONE, null)).isEmpty();
  }

  @Test
  void shouldNeedTheViewerTokenToReadAndTheOperatorTokenToWrite() {
    assertThat(Role.neededFor("GET")).isEqualTo(Role.VIEWER);
    assertThat(Role.neededFor("HEAD")).isEqualTo(Role.VIEWER);
    assertThat(Role.neededFor("POST")).isEqualTo(Role.OPERATOR);
    assertThat(Role.neededFor("PUT")).isEqualTo(Role.OPERATOR);
    assertThat(Role.neededFor("DELETE")).isEqualTo(Role.OPERATOR);
    assertThat(Role.neededFor("OPTIONS")).isEqualTo(Role.OPERATOR);
  }

  @Test
  void shouldNeverShowATokenInItsTextAnAnswerOrTheLog() {
    assertThat(tokens.toString()).doesNotContain(OPERATOR).doesNotContain(VIEWER);
    try (LogCapture log = new LogCapture()) {
      Response refused = tokens.admit(Role.OPERATOR, "Bearer " + VIEWER).orElseThrow();
      Response unknown = tokens.admit(Role.VIEWER, "Bearer " + OPERATOR + "-guess").orElseThrow();
      tokens.admit(Role.OPERATOR, "Bearer " + OPERATOR);

      assertThat(refused.getEntity().toString() + unknown.getEntity())
          .doesNotContain(VIEWER)
          .doesNotContain(OPERATOR);
      assertThat(log.text()).doesNotContain(VIEWER).doesNotContain(OPERATOR);
    }
  }
}

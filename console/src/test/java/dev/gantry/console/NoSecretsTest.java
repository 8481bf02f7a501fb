package dev.gantry.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.console.support.ConsoleTestResource;
import dev.gantry.console.support.Login;
import dev.gantry.console.support.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tokens go upstream in a header and nowhere else: no answer, page or log line has them. */
@QuarkusTest
@QuarkusTestResource(ConsoleTestResource.class)
class NoSecretsTest {
  private static final String GUESS = "guessed-secret-token-4711";

  @Test
  void shouldShowNoTokenInAnyAnswerOrLogLine() throws Exception {
    List<Response> answers = new ArrayList<>();
    answers.add(
        given()
            .contentType(ContentType.JSON)
            .body("{\"token\":\"" + Login.OPERATOR_TOKEN + "\"}")
            .post("/api/session"));
    answers.add(
        given()
            .contentType(ContentType.JSON)
            .body("{\"token\":\"" + GUESS + "\"}")
            .post("/api/session"));
    answers.add(
        given().header("Authorization", "Bearer " + Login.OPERATOR_TOKEN).post("/api/login-links"));
    Login op = Login.operator();
    Login viewer = Login.viewer();
    for (String path :
        List.of(
            "/api/session",
            "/api/apps",
            "/api/apps/" + Upstreams.APP,
            "/api/rollouts/" + Upstreams.ROLLOUT,
            "/api/builds/" + Upstreams.BUILD,
            "/api/alerts",
            "/",
            "/rollouts/" + Upstreams.ROLLOUT,
            "/login",
            "/static/console.js",
            "/static/rollout.js")) {
      answers.add(op.request().get(path));
      answers.add(viewer.request().get(path));
    }
    answers.add(op.csrfRequest().post("/api/rollouts/" + Upstreams.ROLLOUT + "/pause"));
    Upstreams.MONITOR.stop();
    try {
      answers.add(op.request().get("/api/alerts"));
    } finally {
      Upstreams.MONITOR.restart();
    }
    for (Response r : answers) {
      String all = r.headers().toString() + "\n" + r.asString();
      assertThat(all)
          .doesNotContain(Login.OPERATOR_TOKEN)
          .doesNotContain(Login.VIEWER_TOKEN)
          .doesNotContain(GUESS);
    }
    Path log = Path.of("target/console-test.log");
    assertThat(log).exists();
    assertThat(Files.readString(log))
        .contains("login as operator")
        .doesNotContain(Login.OPERATOR_TOKEN)
        .doesNotContain(Login.VIEWER_TOKEN)
        .doesNotContain(GUESS)
        .doesNotContain(op.cookie())
        .doesNotContain(op.csrf());
    assertThat(ConsoleTestResource.publicUrl()).isNotEmpty();
  }
}

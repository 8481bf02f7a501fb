package dev.gantry.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.gantry.console.support.ConsoleTestResource;
import dev.gantry.console.support.Login;
import dev.gantry.console.support.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ConsoleTestResource.class)
class SessionTest {
  private static final String ROLLOUT = Upstreams.ROLLOUT;

  @Test
  void shouldSetAnHttpOnlyStrictCookieWhenTheOperatorTokenLogsIn() {
    Response r =
        given()
            .contentType(ContentType.JSON)
            .body("{\"token\":\"" + Login.OPERATOR_TOKEN + "\"}")
            .post("/api/session");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat((String) r.path("role")).isEqualTo("operator");
    assertThat((String) r.path("csrf")).hasSizeGreaterThanOrEqualTo(43);
    assertThat((String) r.path("expiresAt")).isNotBlank();
    String cookie = r.header("Set-Cookie");
    assertThat(cookie)
        .startsWith("gantry_session=")
        .contains("; HttpOnly", "; SameSite=Strict", "; Path=/", "; Max-Age=28800")
        .doesNotContain("Secure");
    // 256 random bits, base64url without padding
    assertThat(r.getCookie("gantry_session")).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void shouldRefuseAWrongTokenWith401AndNoCookie() {
    Response r =
        given().contentType(ContentType.JSON).body("{\"token\":\"nope\"}").post("/api/session");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.header("Set-Cookie")).isNull();
    given().contentType(ContentType.JSON).body("{}").post("/api/session").then().statusCode(401);
  }

  @Test
  void shouldForgetTheSessionWhenLoggedOut() {
    Login op = Login.operator();
    op.request().get("/api/session").then().statusCode(200).body("role", equalTo("operator"));
    Response out = op.csrfRequest().delete("/api/session");
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.header("Set-Cookie")).contains("gantry_session=;").contains("Max-Age=0");
    op.request().get("/api/session").then().statusCode(401);
    op.request().get("/api/apps").then().statusCode(401);
  }

  @Test
  void shouldSendAPageRequestWithoutSessionToLoginWithItsPathAsNext() {
    given()
        .redirects()
        .follow(false)
        .get("/rollouts/" + ROLLOUT + "?x=1")
        .then()
        .statusCode(303)
        .header("Location", startsWith(ConsoleTestResource.publicUrl() + "/login?next="))
        .header("Location", org.hamcrest.Matchers.containsString("%2Frollouts%2F" + ROLLOUT));
    given().redirects().follow(false).get("/").then().statusCode(303);
    given().get("/login").then().statusCode(200).contentType(startsWith("text/html"));
    given().get("/api/rollouts/" + ROLLOUT).then().statusCode(401);
  }

  @Test
  void shouldHonourOnlyALocalPathAsNext() {
    for (String evil :
        new String[] {
          "//evil.example/x", "/\\evil.example", "https://evil.example/", "evil", "/%0d%0a"
        }) {
      String next =
          given()
              .contentType(ContentType.JSON)
              .body(
                  "{\"token\":\""
                      + Login.VIEWER_TOKEN
                      + "\",\"next\":\""
                      + evil.replace("\\", "\\\\")
                      + "\"}")
              .post("/api/session")
              .then()
              .statusCode(200)
              .extract()
              .path("next");
      assertThat(next).as(evil).isIn("/", "/%0d%0a");
    }
    String local =
        given()
            .contentType(ContentType.JSON)
            .body("{\"token\":\"" + Login.VIEWER_TOKEN + "\",\"next\":\"/rollouts/abc?x=1\"}")
            .post("/api/session")
            .then()
            .extract()
            .path("next");
    assertThat(local).isEqualTo("/rollouts/abc?x=1");
  }

  @Test
  void shouldRefuseANonGetWithoutTheCsrfTokenOrFromAnotherOrigin() {
    Login op = Login.operator();
    int before = Upstreams.ROLLOUTS.calls().size();
    op.request().post("/api/rollouts/" + ROLLOUT + "/abort").then().statusCode(403);
    op.request()
        .header("X-CSRF-Token", "forged")
        .post("/api/rollouts/" + ROLLOUT + "/abort")
        .then()
        .statusCode(403);
    op.csrfRequest()
        .header("Origin", "http://evil.example")
        .post("/api/rollouts/" + ROLLOUT + "/abort")
        .then()
        .statusCode(403);
    op.csrfRequest()
        .header("Origin", "http://evil.example")
        .delete("/api/session")
        .then()
        .statusCode(403);
    assertThat(Upstreams.ROLLOUTS.calls().subList(before, Upstreams.ROLLOUTS.calls().size()))
        .noneMatch(c -> c.method().equals("POST"));
    op.request().get("/api/session").then().statusCode(200);
  }

  @Test
  void shouldRefuseAViewersActionEvenWithItsCsrfToken() {
    Login viewer = Login.viewer();
    int before = Upstreams.ROLLOUTS.calls().size();
    viewer
        .csrfRequest()
        .header("Origin", ConsoleTestResource.publicUrl())
        .post("/api/rollouts/" + ROLLOUT + "/abort")
        .then()
        .statusCode(403);
    viewer.csrfRequest().post("/api/apps/" + Upstreams.APP + "/rollback").then().statusCode(403);
    assertThat(Upstreams.ROLLOUTS.calls().subList(before, Upstreams.ROLLOUTS.calls().size()))
        .noneMatch(c -> c.method().equals("POST"));
  }

  @Test
  void shouldActWithTheOperatorTokenAndAnswerTheStateItLedTo() {
    Login op = Login.operator();
    op.csrfRequest()
        .header("Origin", ConsoleTestResource.publicUrl())
        .post("/api/rollouts/" + ROLLOUT + "/abort")
        .then()
        .statusCode(200)
        .body("phase", equalTo("ABORTED"));
    assertThat(Upstreams.ROLLOUTS.calls())
        .anySatisfy(
            c -> {
              assertThat(c.method()).isEqualTo("POST");
              assertThat(c.path()).isEqualTo("/rollouts/" + ROLLOUT + "/abort");
              assertThat(c.authorization()).isEqualTo("Bearer " + Login.OPERATOR_TOKEN);
            });
  }

  @Test
  void shouldReadWithTheViewerTokenForAViewerSession() {
    Login viewer = Login.viewer();
    int before = Upstreams.MONITOR.calls().size();
    viewer.request().get("/api/alerts").then().statusCode(200);
    assertThat(Upstreams.MONITOR.calls().subList(before, Upstreams.MONITOR.calls().size()))
        .allMatch(c -> ("Bearer " + Login.VIEWER_TOKEN).equals(c.authorization()));
  }

  @Test
  void shouldLogInOnceWithALoginLinkFromTheOperatorToken() {
    given().post("/api/login-links").then().statusCode(401);
    given()
        .header("Authorization", "Bearer " + Login.VIEWER_TOKEN)
        .post("/api/login-links")
        .then()
        .statusCode(401);
    String url =
        given()
            .header("Authorization", "Bearer " + Login.OPERATOR_TOKEN)
            .post("/api/login-links")
            .then()
            .statusCode(201)
            .extract()
            .path("url");
    assertThat(url).startsWith(ConsoleTestResource.publicUrl() + "/login#code=");
    String code = url.substring(url.indexOf("#code=") + 6);
    String body = "{\"code\":\"" + code + "\"}";
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/session")
        .then()
        .statusCode(200)
        .body("role", equalTo("operator"));
    given().contentType(ContentType.JSON).body(body).post("/api/session").then().statusCode(401);
  }
}

package dev.gantry.console.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** A logged-in session as a test holds it: the cookie's value and the CSRF token. */
public record Login(String cookie, String csrf, String role) {
  public static final String OPERATOR_TOKEN = "test-operator-token-0123456789";
  public static final String VIEWER_TOKEN = "test-viewer-token-0123456789";

  public static Login operator() {
    return with(OPERATOR_TOKEN);
  }

  public static Login viewer() {
    return with(VIEWER_TOKEN);
  }

  public static Login with(String token) {
    Response r =
        given()
            .contentType(ContentType.JSON)
            .body("{\"token\":\"" + token + "\"}")
            .post("/api/session")
            .then()
            .statusCode(200)
            .extract()
            .response();
    return new Login(r.getCookie("gantry_session"), r.path("csrf"), r.path("role"));
  }

  /** A request of this session, with its cookie; non-GETs also need {@link #csrfRequest()}. */
  public RequestSpecification request() {
    return given().cookie("gantry_session", cookie).redirects().follow(false);
  }

  public RequestSpecification csrfRequest() {
    return request().header("X-CSRF-Token", csrf);
  }
}

package dev.gantry.rollout.router.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RbacRequestTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "GET    | /api/v1/namespaces/ns/services/shop                          | get ''/services in ns",
        "GET    | /apis/apps/v1/namespaces/ns/deployments?labelSelector=a%3Db  | list apps/deployments in ns",
        "GET    | /apis/apps/v1/namespaces/ns/deployments?watch=true           | watch apps/deployments in ns",
        "GET    | /apis/apps/v1/deployments                                    | list apps/deployments in all namespaces",
        "POST   | /apis/gateway.networking.k8s.io/v1/namespaces/ns/httproutes  | create gateway.networking.k8s.io/httproutes in ns",
        "PUT    | /apis/apps/v1/namespaces/ns/deployments/shop-stable          | update apps/deployments in ns",
        "PATCH  | /apis/apps/v1/namespaces/ns/deployments/shop-stable/status   | patch apps/deployments/status in ns",
        "DELETE | /api/v1/namespaces/ns/services/shop                          | delete ''/services in ns",
        "DELETE | /api/v1/namespaces/ns/services?labelSelector=a%3Db           | deletecollection ''/services in ns",
        "GET    | /api/v1/namespaces/ns                                        | get ''/namespaces in ns",
      })
  void shouldTellTheVerbFromTheMethodAndWhetherThePathNamesOneObject(
      String method, String path, String request) {
    assertThat(RbacRequest.of(method, path)).hasToString(request.replace("''", "\"\""));
  }

  @Test
  void shouldKeepTheNameOfTheObjectWhenThePathNamesOne() {
    assertThat(RbacRequest.of("DELETE", "/apis/apps/v1/namespaces/ns/deployments/shop-canary"))
        .isEqualTo(new RbacRequest("delete", "apps", "deployments", "ns", "shop-canary"));
  }

  @Test
  void shouldNotBeAResourceWhenThePathIsDiscovery() {
    assertThat(RbacRequest.of("GET", "/apis/apps/v1").isResource()).isFalse();
    assertThat(RbacRequest.of("GET", "/version").isResource()).isFalse();
  }
}

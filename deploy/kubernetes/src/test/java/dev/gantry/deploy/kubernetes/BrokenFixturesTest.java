package dev.gantry.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each fixture under src/test/resources/fixtures is the dev overlay with one mistake a user would
 * feel in a cluster; the checks must name it. The dev overlay itself passes (OverlaysTest), so each
 * violation comes from the fixture's one patch.
 */
class BrokenFixturesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          service-selects-nothing            | Service gantry/build-api selects no pod
          missing-configmap                  | Deployment gantry/build-api reads ConfigMap gantry/build-api-settings, which the overlay does not define
          undocumented-secret                | references Secret gantry/gantry-tokens, which is neither defined in the overlay nor listed in README.md's secrets to create
          writable-shared-root               | Deployment gantry/rollout-service mounts the shared root read-write
          workers-beyond-partitions          | ScaledObject gantry/build-worker allows 8 workers but build.requests has 4 partitions
          misspelt-topic                     | Topics.BUILD_EVENTS is topic build.events, which no KafkaTopic in the overlay defines
          misspelt-topic                     | KafkaTopic gantry/build.events defines topic build.event, which events' Topics.java does not name
          scaling-without-trigger            | ScaledObject gantry/build-worker has 0 kafka triggers; it needs exactly one, on the lag of consumer group build-worker on build.requests
          scaling-two-triggers               | ScaledObject gantry/build-worker has 2 kafka triggers; it needs exactly one
          scaling-wrong-topic                | ScaledObject gantry/build-worker measures the lag on topic build.events but build-worker consumes build.requests
          scaling-wrong-group                | ScaledObject gantry/build-worker measures the lag of consumer group build-api but build-worker consumes as build-worker
          scaling-wrong-bootstrap            | ScaledObject gantry/build-worker reads the lag from Kafka at kafka.gantry.svc:9092 but the services' ConfigMap gives build-worker gantry-kafka-bootstrap.gantry.svc:9092
          schema-owned-by-another-role       | schema monitor of Cluster gantry/gantry-db is owned by rollout, not by monitor, the role monitor-service logs in as
          pool-beyond-connection-limit       | Deployment gantry/build-api may run 4 pods at once (a rolling update included) with a pool of up to 24 connections each: 96, more than the connectionLimit of 80 of role build_api in Cluster gantry/gantry-db
          connections-beyond-max             | the roles of Cluster gantry/gantry-db may open 170 connections (their connectionLimits), more than its max_connections of 100 less 3 reserved for superusers
          role-without-login                 | role monitor of Cluster gantry/gantry-db is not a present role with login: monitor-service, which logs in as it, could not connect
          db-credentials-from-another-secret | Deployment gantry/monitor-service must take QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD from the keys username and password of its role's passwordSecret
          misspelt-field                     | Deployment gantry/monitor-service.spec.template.spec.containers[0]: unknown field(s) [readinesProbe]
          misspelt-kafka-field               | KafkaTopic gantry/build.events.spec: unknown field(s) [replica]
          misspelt-postgres-field            | Cluster gantry/gantry-db.spec.storage: unknown field(s) [sizee]
          misspelt-scaling-field             | ScaledObject gantry/build-worker.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown: unknown field(s) [stabilisationWindowSeconds]
          heap-over-limit                    | Deployment gantry/monitor-service container monitor-service: -Xmx700m is more than 60 % of the 768Mi memory limit
          loopback-only                      | Deployment gantry/build-worker container build-worker does not set QUARKUS_HTTP_HOST=0.0.0.0
          policy-for-missing-pods            | NetworkPolicy gantry/build-api allows traffic with pods that do not exist: {cnpg.io/cluster=gantry-pg}
          """)
  void shouldNameTheMistakeWhenAnOverlayIsBroken(String fixture, String violation) {
    Manifests broken = Manifests.fixture(fixture);

    assertThat(ManifestChecks.all(broken, ExternalSecrets.documented()))
        .anySatisfy(v -> assertThat(v).contains(violation));
  }

  /** Broken Dockerfiles under fixtures/images/: each one mistake of an image, read as text. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          golang-image/Dockerfile.build-worker                  | Dockerfile.build-worker takes Go from the image docker.io/library/golang:${GO_VERSION}-bookworm, pinned by nothing but a tag
          golang-image/Dockerfile.build-worker                  | Dockerfile.build-worker installs no golang-1.23-go=<version>, the package deploy/local/prereqs.sh installs for the tests
          floating-jre/Dockerfile.jvm                           | Dockerfile.jvm runs on docker.io/library/eclipse-temurin:17-jre-jammy, a tag that moves to every new JRE build
          uber-jar/Dockerfile.jvm                               | Dockerfile.jvm copies target/build-api-0.1.0-SNAPSHOT-runner.jar, which a Quarkus package build does not make
          uber-jar/Dockerfile.jvm                               | Dockerfile.jvm does not copy target/quarkus-app/, what mvn package builds
          go-without-sources/Dockerfile.build-worker            | Dockerfile.build-worker does not copy /usr/share/go-1.23 from the Go stage: GOROOT/src links there
          go-sources-of-another-version/Dockerfile.build-worker | Dockerfile.build-worker pins golang-1.23-go=1.23.5-1~bpo12+1 but golang-1.23-src=1.23.4-1~bpo12+1
          go-of-another-package/Dockerfile.build-worker         | Dockerfile.build-worker installs no golang-1.23-go=<version>
          """)
  void shouldNameTheMistakeWhenAnImageIsBroken(String fixture, String violation) {
    Path dockerfile =
        Manifests.MODULE.resolve("src/test/resources/fixtures/images").resolve(fixture);

    assertThat(ImageChecks.all(dockerfile, ImageChecks.Go.here()))
        .anySatisfy(v -> assertThat(v).contains(violation));
  }

  @Test
  void shouldNameAGoBinaryTheImageDoesNotHaveWhenTheWorkersConfigMapSetsOne() {
    assertThat(
            ImageChecks.workerGoBinary(
                Manifests.fixture("worker-go-elsewhere"), "/usr/lib/go-1.23/bin/go"))
        .containsExactly(
            "ConfigMap gantry/build-worker sets GANTRY_WORKER_GO_BINARY=/usr/local/go/bin/go but the"
                + " build-worker image has its Go at /usr/lib/go-1.23/bin/go");
  }

  @Test
  void shouldFailWithKubectlsReasonWhenAnOverlayDoesNotRender() {
    assertThatThrownBy(() -> Manifests.fixture("does-not-render"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kustomize")
        .hasMessageContaining("missing.yaml");
  }
}

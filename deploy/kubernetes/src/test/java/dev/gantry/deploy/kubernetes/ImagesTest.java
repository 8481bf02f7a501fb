package dev.gantry.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The Dockerfiles in images/, read as text (nothing here runs docker): pinned bases, build-worker's
 * Go held to the Go the tests install and run, and what they copy held to what a Quarkus package
 * build makes.
 */
class ImagesTest {

  static final List<String> IMAGES = List.of("Dockerfile.jvm", "Dockerfile.build-worker");

  static final List<String> SERVICES =
      List.of("build-api", "build-worker", "rollout-service", "monitor-service", "console");

  @ParameterizedTest
  @FieldSource("IMAGES")
  void shouldPinTheBaseAndCopyTheQuarkusAppWhenBuildingAnImage(String image) {
    assertThat(ImageChecks.all(ImageChecks.IMAGES.resolve(image), ImageChecks.Go.here())).isEmpty();
  }

  @Test
  void shouldPinTheWorkersGoToTheDebianPackageTheTestsInstall() {
    ImageChecks.Go go = ImageChecks.Go.here();
    String dockerfile = ImageChecks.read(ImageChecks.IMAGES.resolve(ImageChecks.WORKER_IMAGE));

    assertThat(ImageChecks.goToolchain("worker", ImageChecks.parse(dockerfile), go)).isEmpty();
    // the README names the pin too
    assertThat(ImageChecks.read(ExternalSecrets.README)).contains(pinnedGo(dockerfile, go));
  }

  @Test
  void shouldRunOneJreInBothImages() {
    assertThat(IMAGES)
        .extracting(
            image ->
                ImageChecks.temurinTag(
                        ImageChecks.parse(ImageChecks.read(ImageChecks.IMAGES.resolve(image))))
                    .orElse(image + " has no exact Temurin tag"))
        .doesNotContainNull()
        .containsOnly(
            ImageChecks.temurinTag(
                    ImageChecks.parse(ImageChecks.read(ImageChecks.IMAGES.resolve(IMAGES.get(0)))))
                .orElse(null));
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void shouldNameTheImagesGoAsTheWorkersGoBinary(String overlay) {
    assertThat(ImageChecks.workerGoBinary(Manifests.overlay(overlay), imageGoBinary())).isEmpty();
  }

  static final List<String> OVERLAYS = Manifests.OVERLAYS;

  @ParameterizedTest
  @FieldSource("SERVICES")
  void shouldPackageTheLayoutTheImagesCopy(String service) {
    Properties props = Sources.applicationProperties(service).orElseThrow();

    assertThat(ImageChecks.packaging(service, props)).isEmpty();
  }

  /** The real layout of each packaged service (./gantry test packages them all first). */
  @ParameterizedTest
  @FieldSource("SERVICES")
  void shouldFindTheCopiedLayoutInWhatQuarkusPackaged(String service) {
    Path app = Sources.REPO.resolve(service).resolve(ImageChecks.QUARKUS_APP_DIR);
    assertThat(app)
        .as(
            service
                + " is not packaged: ./gantry test packages every service before this module;"
                + " alone, run mvn package -pl "
                + service
                + " first")
        .isDirectory();

    for (String entry : ImageChecks.QUARKUS_APP) {
      Path path = app.resolve(entry);
      assertThat(entry.endsWith("/") ? Files.isDirectory(path) : Files.isRegularFile(path))
          .as(app + " has " + entry)
          .isTrue();
    }
  }

  @Test
  void shouldFireWhenTheTestsRunAnotherGoReleaseThanTheImagePins() {
    String dockerfile = ImageChecks.read(ImageChecks.IMAGES.resolve(ImageChecks.WORKER_IMAGE));
    List<ImageChecks.Instruction> worker = ImageChecks.parse(dockerfile);

    assertThat(
            ImageChecks.goToolchain("worker", worker, ImageChecks.Go.here().testedWith("1.24.1")))
        .containsExactly(
            "worker pins Go 1.23.5 but the tests here run Go 1.24.1: the image would ship a"
                + " toolchain nothing tested");
    assertThat(
            ImageChecks.goToolchain("worker", worker, ImageChecks.Go.here().testedWith("1.23.6")))
        .as("a patch release apart is the same toolchain")
        .isEmpty();
  }

  private static String imageGoBinary() {
    return ImageChecks.env(
            ImageChecks.parse(
                ImageChecks.read(ImageChecks.IMAGES.resolve(ImageChecks.WORKER_IMAGE))))
        .get("GANTRY_WORKER_GO_BINARY");
  }

  private static String pinnedGo(String dockerfile, ImageChecks.Go go) {
    var m = java.util.regex.Pattern.compile(go.debianPackage() + "=(\\S+)").matcher(dockerfile);
    assertThat(m.find()).isTrue();
    return "`" + go.debianPackage() + "=" + m.group(1) + "`";
  }
}

package dev.gantry.buildworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.events.EventTypes;
import dev.gantry.events.build.Artifact;
import dev.gantry.events.build.BuildFailed;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.BuildSucceeded;
import dev.gantry.testkit.EventRecord;
import dev.gantry.testkit.GantryInfra;
import dev.gantry.testkit.GitFixture;
import dev.gantry.testkit.KafkaInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Go services in the standard layout ({@code cmd/<name>/main.go}, nothing at the module root) with
 * no {@code .gantry.yml}, or one that names the packages: what a developer pushes without reading
 * Gantry's documentation first.
 */
@QuarkusTest
@QuarkusTestResource(KafkaInfra.class)
class CmdLayoutTest {
  static final Path SHARED = BuildWorkerTest.SHARED;
  static final String TOPIC = BuildWorkerTest.TOPIC;

  static String bootstrap() {
    return GantryInfra.kafka().bootstrapServers();
  }

  /** The build's success; its failure, should it fail, is the assertion's message. */
  static BuildSucceeded succeeded(BuildRequested req) {
    EventRecord end = Builds.terminal(bootstrap(), req.buildId(), Builds.COLD);
    if (end.type().equals(EventTypes.BUILD_FAILED)) {
      BuildFailed f = end.data(BuildFailed.class);
      assertThat(f.stage() + ": " + f.message()).as("the build failed").isNull();
    }
    assertThat(end.type()).isEqualTo(EventTypes.BUILD_SUCCEEDED);
    return end.data(BuildSucceeded.class);
  }

  /** An app name no earlier run has published under: these tests check that nothing was. */
  static String unique(String app) {
    return app + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  static BuildFailed failed(BuildRequested req) {
    EventRecord end = Builds.terminal(bootstrap(), req.buildId(), Builds.COLD);
    assertThat(end.type()).isEqualTo(EventTypes.BUILD_FAILED);
    return end.data(BuildFailed.class);
  }

  @Test
  void shouldBuildTheOnlyMainPackageUnderCmdAndNameTheBinaryAfterItsFolder() throws Exception {
    GitFixture repo = Samples.repo("shop");
    String commit = repo.commit("main", "standard layout", Samples.cmdLayout("shopd"));
    BuildRequested req = Samples.request(repo, "shop", commit);

    Samples.publish(bootstrap(), TOPIC, req);

    BuildSucceeded ok = succeeded(req);
    assertThat(ok.artifacts()).hasSize(1);
    Artifact a = ok.artifacts().get(0);
    assertThat(a.binary()).isEqualTo("shopd");
    assertThat(a.path()).isEqualTo("artifacts/shop/" + ok.version() + "/linux_amd64/shopd");
    Path binary = SHARED.resolve(a.path());
    assertThat(BuildWorkerTest.sha256(binary)).isEqualTo(a.sha256());
    assertThat(Files.size(binary)).isEqualTo(a.size());
    Path versionDir = SHARED.resolve("artifacts/shop").resolve(ok.version());
    assertThat(Files.readString(versionDir.resolve("SHA256SUMS")))
        .isEqualTo(a.sha256() + "  linux_amd64/shopd\n");
    assertThat(BuildWorkerTest.run(binary)).isEqualTo("hello, shopd");
    assertThat(BuildWorkerTest.run(binary, "version")).isEqualTo(ok.version() + " " + commit);
    assertThat(Files.readString(SHARED.resolve("logs/builds/" + req.buildId() + ".log")))
        .contains(".gantry.yml names no main package; go list found ./cmd/shopd");
  }

  @Test
  void shouldFailAtConfigNamingEveryMainPackageAndBuildTheOneTheSuggestedLineNames()
      throws Exception {
    String multi = unique("multi");
    GitFixture repo = Samples.repo(multi);
    String first =
        repo.commit("main", "three commands", Samples.cmdLayout("migrate", "shop", "worker"));
    BuildRequested req = Samples.request(repo, multi, first);

    Samples.publish(bootstrap(), TOPIC, req);

    BuildFailed failed = failed(req);
    assertThat(failed.stage()).isEqualTo("config");
    assertThat(failed.message())
        .contains("3 main packages (./cmd/migrate, ./cmd/shop, ./cmd/worker)")
        .contains("packages: [\"./cmd/shop\"]");
    assertThat(SHARED.resolve("artifacts/" + multi)).doesNotExist();

    // the developer writes the line the message suggests, as it is written there
    Matcher line = Pattern.compile("packages: \\[[^\\]]*\\]").matcher(failed.message());
    assertThat(line.find()).isTrue();
    String second = repo.commit("main", "name the service", Map.of(".gantry.yml", line.group()));
    BuildRequested again = Samples.request(repo, multi, second);

    Samples.publish(bootstrap(), TOPIC, again);

    BuildSucceeded ok = succeeded(again);
    assertThat(ok.artifacts()).extracting(Artifact::binary).containsExactly("shop");
    assertThat(BuildWorkerTest.run(SHARED.resolve(ok.artifacts().get(0).path())))
        .isEqualTo("hello, shop");
  }

  @Test
  void shouldBuildEachPackageGantryYmlNamesAndRefuseTwoThatEndInTheSameName() throws Exception {
    Map<String, String> files = new HashMap<>(Samples.cmdLayout("shop", "migrate"));
    files.put(".gantry.yml", "packages: [./cmd/shop, ./cmd/migrate]\n");
    GitFixture repo = Samples.repo("both");
    BuildRequested req = Samples.request(repo, "both", repo.commit("main", "both", files));

    Samples.publish(bootstrap(), TOPIC, req);

    BuildSucceeded ok = succeeded(req);
    assertThat(ok.artifacts())
        .extracting(Artifact::binary)
        .containsExactlyInAnyOrder("shop", "migrate");
    for (Artifact a : ok.artifacts()) {
      assertThat(BuildWorkerTest.sha256(SHARED.resolve(a.path()))).isEqualTo(a.sha256());
      assertThat(BuildWorkerTest.run(SHARED.resolve(a.path()))).isEqualTo("hello, " + a.binary());
    }

    files.put("tools/shop/main.go", files.get("cmd/shop/main.go"));
    files.put(".gantry.yml", "packages: [./cmd/shop, ./tools/shop]\n");
    String app = unique("clash");
    GitFixture clash = Samples.repo(app);
    BuildRequested clashing = Samples.request(clash, app, clash.commit("main", "two shops", files));

    Samples.publish(bootstrap(), TOPIC, clashing);

    BuildFailed failed = failed(clashing);
    assertThat(failed.stage()).isEqualTo("config");
    assertThat(failed.message())
        .contains("./cmd/shop and ./tools/shop would both build a binary named 'shop'");
    assertThat(SHARED.resolve("artifacts/" + app)).doesNotExist();
  }

  @Test
  void shouldFailAtConfigSayingSoWhenTheModuleHasNoMainPackage() {
    Map<String, String> files = new HashMap<>(Samples.cmdLayout());
    String library = unique("library");
    GitFixture repo = Samples.repo(library);
    BuildRequested req = Samples.request(repo, library, repo.commit("main", "a library", files));

    Samples.publish(bootstrap(), TOPIC, req);

    BuildFailed failed = failed(req);
    assertThat(failed.stage()).isEqualTo("config");
    assertThat(failed.message())
        .contains("no main package")
        .contains("./cmd/<name>/")
        .contains(".gantry.yml: packages: [");
    assertThat(SHARED.resolve("artifacts/" + library)).doesNotExist();
  }
}

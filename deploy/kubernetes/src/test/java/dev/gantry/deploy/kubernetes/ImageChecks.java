package dev.gantry.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the images' Dockerfiles must satisfy, read as text: nothing here runs docker. Each check
 * returns its violations as sentences, like {@link ManifestChecks}; the tests run them on images/
 * and on broken Dockerfiles under src/test/resources/fixtures/images/.
 */
final class ImageChecks {

  static final Path IMAGES = Manifests.MODULE.resolve("images");

  /** Where ./gantry gets the tests' tools, Go among them. */
  static final Path PREREQS = Sources.REPO.resolve("deploy/local/prereqs.sh");

  /** The image that holds Go; the JVM-only one does not. */
  static final String WORKER_IMAGE = "Dockerfile.build-worker";

  /**
   * What {@code mvn package} leaves in a Quarkus module's target/quarkus-app/ (the fast-jar, the
   * default package type): the launcher jar and the three folders it loads from.
   */
  static final List<String> QUARKUS_APP = List.of("app/", "lib/", "quarkus/", "quarkus-run.jar");

  static final String QUARKUS_APP_DIR = "target/quarkus-app";

  /** An exact Temurin JRE build: 17.0.15_6-jre-jammy, not 17-jre-jammy. */
  private static final Pattern TEMURIN =
      Pattern.compile("eclipse-temurin:((\\d+)\\.\\d+\\.\\d+(?:\\.\\d+)?_\\d+-jre-[a-z]+)");

  private static final Pattern PREREQS_GO_PACKAGE =
      Pattern.compile("-t\\s+bookworm-backports\\s+(golang-(\\d+\\.\\d+)-go)\\b");
  private static final Pattern PREREQS_GO_MIN = Pattern.compile("(?m)^GO_MIN=(\\S+)$");

  private ImageChecks() {}

  /** One instruction, continuation lines joined, comments left out. */
  record Instruction(String keyword, String args) {}

  /**
   * The Go the project asks for: the Debian package deploy/local/prereqs.sh installs for the tests
   * and its minimum version; and, where this machine has it, the version of the Go the tests run
   * ({@code go1.23.5} → {@code 1.23.5}).
   */
  record Go(String debianPackage, String series, String minimum, Optional<String> testsGo) {

    /** {@code golang-1.23-src}: the sources, which the go package depends on. */
    String sourcePackage() {
      return debianPackage.replaceAll("-go$", "-src");
    }

    /** Debian's GOROOT of that package: /usr/lib/go-1.23. */
    String goRoot() {
      return "/usr/lib/go-" + series;
    }

    /** Where Debian keeps the sources, which GOROOT/src links to. */
    String sources() {
      return "/usr/share/go-" + series;
    }

    Go testedWith(String go) {
      return new Go(debianPackage, series, minimum, Optional.of(go));
    }

    /** What prereqs.sh installs, and the Go the tests run on this machine. */
    static Go here() {
      String prereqs = read(PREREQS);
      Matcher pkg = PREREQS_GO_PACKAGE.matcher(prereqs);
      Matcher min = PREREQS_GO_MIN.matcher(prereqs);
      if (!pkg.find() || !min.find()) {
        throw new IllegalStateException(
            PREREQS
                + " no longer says which Go it installs (apt-get install -t bookworm-backports"
                + " golang-X-go, GO_MIN=): ImageChecks reads both");
      }
      Go go = new Go(pkg.group(1), pkg.group(2), min.group(1), Optional.empty());
      // the go binary the tests run, as testkit's GoFixture finds it
      String env = System.getenv("GANTRY_GO");
      Path binary =
          env != null && !env.isBlank() ? Path.of(env) : Path.of(go.goRoot(), "bin", "go");
      if (!Files.isExecutable(binary)) {
        return go;
      }
      Path root;
      try {
        root = binary.toRealPath().getParent().getParent();
      } catch (IOException e) {
        return go;
      }
      Path version = root.resolve("VERSION");
      if (!Files.isRegularFile(version)) {
        return go;
      }
      String first = read(version).lines().findFirst().orElse("").strip();
      if (!first.startsWith("go")) {
        return go;
      }
      return go.testedWith(first.substring(2));
    }
  }

  // --- parsing -----------------------------------------------------------------------------------

  static List<Instruction> parse(String dockerfile) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n", -1)) {
      String stripped = line.strip();
      if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (stripped.endsWith("\\")) {
        current.append(stripped, 0, stripped.length() - 1).append(' ');
        continue;
      }
      current.append(stripped);
      String whole = current.toString().strip();
      current.setLength(0);
      if (whole.isEmpty()) {
        continue;
      }
      int space = whole.indexOf(' ');
      out.add(
          space < 0
              ? new Instruction(whole.toUpperCase(), "")
              : new Instruction(
                  whole.substring(0, space).toUpperCase(), whole.substring(space + 1).strip()));
    }
    return out;
  }

  // --- every image
  // --------------------------------------------------------------------------------

  /** Every check that applies to the Dockerfile at {@code file}. */
  static List<String> all(Path file, Go go) {
    String name = file.getFileName().toString();
    List<Instruction> instructions = parse(read(file));
    List<String> out = new ArrayList<>();
    out.addAll(baseImage(name, instructions));
    out.addAll(quarkusApp(name, instructions));
    if (name.equals(WORKER_IMAGE)) {
      out.addAll(goToolchain(name, instructions, go));
    }
    return out;
  }

  /**
   * The Temurin JRE the image runs: an exact build, of the Java release the project compiles to.
   */
  static List<String> baseImage(String name, List<Instruction> instructions) {
    List<String> out = new ArrayList<>();
    Optional<String> temurin = temurinTag(instructions);
    String release = javaRelease();
    List<Instruction> froms = froms(instructions);
    String last = froms.isEmpty() ? "" : froms.get(froms.size() - 1).args();
    if (!last.contains("eclipse-temurin:")) {
      out.add(name + " runs on " + last + ", not on a Temurin JRE");
    } else if (temurin.isEmpty()) {
      out.add(
          name
              + " runs on "
              + last
              + ", a tag that moves to every new JRE build: name an exact one"
              + " (eclipse-temurin:17.0.15_6-jre-jammy); README.md says how to pin it by digest");
    } else if (!temurin.get().startsWith(release + ".")) {
      out.add(
          name
              + " runs on Java "
              + temurin.get()
              + " but the project compiles for Java "
              + release
              + " (maven.compiler.release)");
    }
    return out;
  }

  /** The exact Temurin tag of the image's last stage, when it has one. */
  static Optional<String> temurinTag(List<Instruction> instructions) {
    List<Instruction> froms = froms(instructions);
    if (froms.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = TEMURIN.matcher(froms.get(froms.size() - 1).args());
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The image copies what {@code mvn package} builds in the service's module (its build context)
   * and runs its launcher: target/quarkus-app/ as a whole, or parts of its layout.
   */
  static List<String> quarkusApp(String name, List<Instruction> instructions) {
    List<String> out = new ArrayList<>();
    String appDir = null;
    for (Instruction copy : ofKind(instructions, "COPY", "ADD")) {
      List<String> words = new ArrayList<>(List.of(copy.args().split("\\s+")));
      if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
        continue;
      }
      words.removeIf(w -> w.startsWith("--"));
      if (words.size() < 2) {
        out.add(name + ": " + copy.keyword() + " " + copy.args() + " names no source");
        continue;
      }
      String destination = words.get(words.size() - 1);
      for (String source : words.subList(0, words.size() - 1)) {
        String path = source.replaceAll("^\\./", "").replaceAll("/+$", "");
        if (path.equals(QUARKUS_APP_DIR)) {
          appDir = destination.endsWith("/") ? destination : destination + "/";
        } else if (!inQuarkusApp(path)) {
          out.add(
              name
                  + " copies "
                  + source
                  + ", which a Quarkus package build does not make: it leaves "
                  + QUARKUS_APP_DIR
                  + "/ with "
                  + String.join(", ", QUARKUS_APP));
        }
      }
    }
    if (appDir == null) {
      out.add(name + " does not copy " + QUARKUS_APP_DIR + "/, what mvn package builds");
      return out;
    }
    String launcher = appDir + "quarkus-run.jar";
    boolean runs =
        ofKind(instructions, "ENTRYPOINT", "CMD").stream()
            .anyMatch(i -> i.args().contains(launcher));
    if (!runs) {
      out.add(
          name + " copies " + QUARKUS_APP_DIR + "/ to " + appDir + " but does not run " + launcher);
    }
    return out;
  }

  private static boolean inQuarkusApp(String path) {
    if (!path.startsWith(QUARKUS_APP_DIR + "/")) {
      return false;
    }
    String rest = path.substring(QUARKUS_APP_DIR.length() + 1);
    return QUARKUS_APP.stream()
        .anyMatch(
            entry ->
                entry.endsWith("/")
                    ? rest.equals(entry.substring(0, entry.length() - 1)) || rest.startsWith(entry)
                    : rest.equals(entry));
  }

  // --- build-worker's Go
  // ---------------------------------------------------------------------------

  private static final Pattern INSTALL = Pattern.compile("apt-get\\s+install\\b[^&|;]*");

  /**
   * build-worker's Go: Debian's package from bookworm-backports at an exact version, the package
   * prereqs.sh installs for the tests, with its sources, copied whole into the image and named as
   * the worker's go binary.
   */
  static List<String> goToolchain(String name, List<Instruction> instructions, Go go) {
    List<String> out = new ArrayList<>();
    for (Instruction from : froms(instructions)) {
      if (from.args().matches("(?i).*\\bgolang:.*")) {
        out.add(
            name
                + " takes Go from the image "
                + from.args().split("\\s+")[0]
                + ", pinned by nothing but a tag: install Debian's "
                + go.debianPackage()
                + " at an exact version instead");
      }
    }
    Map<String, String> pinned = new LinkedHashMap<>();
    boolean backports = false;
    for (Instruction run : ofKind(instructions, "RUN")) {
      Matcher install = INSTALL.matcher(run.args());
      while (install.find()) {
        String command = install.group();
        Matcher pin = Pattern.compile("\\b(golang-[\\d.]+-(?:go|src))=(\\S+)").matcher(command);
        boolean found = false;
        while (pin.find()) {
          pinned.put(pin.group(1), pin.group(2));
          found = true;
        }
        backports |= found && command.matches(".*-t\\s+bookworm-backports\\b.*");
      }
    }
    String version = pinned.get(go.debianPackage());
    if (version == null) {
      out.add(
          name
              + " installs no "
              + go.debianPackage()
              + "=<version>, the package deploy/local/prereqs.sh installs for the tests: its Go is"
              + " not pinned to one build");
      return out;
    }
    if (!backports) {
      out.add(
          name
              + " installs "
              + go.debianPackage()
              + " without -t bookworm-backports, the suite prereqs.sh takes it from");
    }
    if (!version.equals(pinned.get(go.sourcePackage()))) {
      out.add(
          name
              + " pins "
              + go.debianPackage()
              + "="
              + version
              + " but "
              + go.sourcePackage()
              + "="
              + pinned.get(go.sourcePackage())
              + ": the go command rebuilds itself from those sources, they must be one version");
    }
    String upstream = version.replaceAll("^\\d+:", "").replaceAll("-[^-]*$", "");
    if (!upstream.startsWith(go.series() + ".") || !versionAtLeast(upstream, go.minimum())) {
      out.add(
          name
              + " pins Go "
              + upstream
              + ", which is not a "
              + go.series()
              + " release of at least "
              + go.minimum()
              + " (prereqs.sh's GO_MIN)");
    }
    // a patch release apart is the same toolchain; bookworm-backports keeps only its newest build,
    // so a pin a patch behind the tests' Go is moved when an image is next built, not a red test
    go.testsGo()
        .filter(tested -> !tested.startsWith(go.series() + "."))
        .ifPresent(
            tested ->
                out.add(
                    name
                        + " pins Go "
                        + upstream
                        + " but the tests here run Go "
                        + tested
                        + ": the image would ship a toolchain nothing tested"));

    for (String dir : List.of(go.goRoot(), go.sources())) {
      boolean copied =
          ofKind(instructions, "COPY").stream()
              .anyMatch(
                  c ->
                      c.args().contains("--from=")
                          && c.args().matches(".*\\s" + Pattern.quote(dir) + "/?\\s.*"));
      if (!copied) {
        out.add(
            name
                + " does not copy "
                + dir
                + " from the Go stage"
                + (dir.equals(go.sources())
                    ? ": GOROOT/src links there, and before Go 1.24 the worker rebuilds cmd/go from"
                        + " it (docs/adr/0005)"
                    : ": it is the package's GOROOT"));
      }
    }
    Map<String, String> env = env(instructions);
    if (!go.goRoot().equals(env.get("GOROOT"))) {
      out.add(name + " sets GOROOT=" + env.get("GOROOT") + ", not the package's " + go.goRoot());
    }
    String binary = go.goRoot() + "/bin/go";
    if (!binary.equals(env.get("GANTRY_WORKER_GO_BINARY"))) {
      out.add(
          name
              + " gives the worker GANTRY_WORKER_GO_BINARY="
              + env.get("GANTRY_WORKER_GO_BINARY")
              + ", not the pinned "
              + binary);
    }
    return out;
  }

  /**
   * The go binary the overlay's build-worker ConfigMaps name, against the one the image holds: the
   * ConfigMap wins over the image's ENV.
   */
  static List<String> workerGoBinary(Manifests m, String imageBinary) {
    List<String> out = new ArrayList<>();
    for (ConfigMap cm : m.all(ConfigMap.class)) {
      String binary = cm.getData() == null ? null : cm.getData().get("GANTRY_WORKER_GO_BINARY");
      if (binary != null && !binary.equals(imageBinary)) {
        out.add(
            Manifests.id(cm)
                + " sets GANTRY_WORKER_GO_BINARY="
                + binary
                + " but the build-worker image has its Go at "
                + imageBinary);
      }
    }
    return out;
  }

  /** The ENV of the last stage, {@code KEY=value} pairs (quotes removed). */
  static Map<String, String> env(List<Instruction> instructions) {
    Map<String, String> env = new LinkedHashMap<>();
    Matcher pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher("");
    for (Instruction i : lastStage(instructions)) {
      if (!i.keyword().equals("ENV")) {
        continue;
      }
      pair.reset(i.args());
      while (pair.find()) {
        env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
      }
    }
    return env;
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static List<Instruction> froms(List<Instruction> instructions) {
    return ofKind(instructions, "FROM");
  }

  private static List<Instruction> lastStage(List<Instruction> instructions) {
    int last = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return instructions.subList(last, instructions.size());
  }

  private static List<Instruction> ofKind(List<Instruction> instructions, String... keywords) {
    List<String> wanted = List.of(keywords);
    return instructions.stream().filter(i -> wanted.contains(i.keyword())).toList();
  }

  /** maven.compiler.release of the root pom.xml. */
  static String javaRelease() {
    Matcher m =
        Pattern.compile("<maven.compiler.release>(\\d+)</maven.compiler.release>")
            .matcher(read(Sources.REPO.resolve("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("the root pom.xml sets no maven.compiler.release");
    }
    return m.group(1);
  }

  /** 1.23.5 ≥ 1.23, 1.23 ≥ 1.23, 1.22.9 < 1.23. */
  static boolean versionAtLeast(String version, String minimum) {
    String[] v = version.split("\\.");
    String[] min = minimum.split("\\.");
    for (int i = 0; i < Math.max(v.length, min.length); i++) {
      int a = i < v.length ? Integer.parseInt(v[i].replaceAll("\\D.*", "")) : 0;
      int b = i < min.length ? Integer.parseInt(min[i]) : 0;
      if (a != b) {
        return a > b;
      }
    }
    return true;
  }

  /** The service modules' settings that would change where or what Quarkus packages. */
  static List<String> packaging(String service, Properties props) {
    List<String> out = new ArrayList<>();
    String type = props.getProperty("quarkus.package.jar.type", "fast-jar");
    if (!type.equals("fast-jar")) {
      out.add(service + " packages a " + type + ", not the fast-jar the images copy");
    }
    if ("false".equals(props.getProperty("quarkus.package.jar.enabled"))) {
      out.add(service + " builds no jar (quarkus.package.jar.enabled=false)");
    }
    if (props.containsKey("quarkus.package.output-directory")) {
      out.add(
          service
              + " sets quarkus.package.output-directory: the images copy "
              + QUARKUS_APP_DIR
              + "/, where Quarkus puts the fast-jar by default");
    }
    return out;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }
}

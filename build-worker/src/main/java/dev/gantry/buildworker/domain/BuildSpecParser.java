package dev.gantry.buildworker.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads {@code .gantry.yml}. Unknown keys are errors, so a typo never silently falls back to a
 * default; every error names the file, the place and the reason.
 *
 * <pre>
 * packages: [".", "./cmd/migrate"]     # main packages (default: found, see MainPackages)
 * targets: [linux/amd64, linux/arm64]  # default: linux/amd64
 * ldflags:
 *   version: main.version              # the variable -X sets to the version
 *   commit: main.commit                # the variable -X sets to the commit
 * vet: true                            # go vet ./... before building (default false)
 * test: true                           # go test ./... before building (default false)
 * </pre>
 */
public final class BuildSpecParser {
  public static final String FILE = ".gantry.yml";
  public static final int MAX_BYTES = 64 * 1024;
  private static final int MAX_ITEMS = 32;

  private static final Pattern PACKAGE =
      Pattern.compile("\\.|\\./[A-Za-z0-9_][A-Za-z0-9_.\\-]*(/[A-Za-z0-9_][A-Za-z0-9_.\\-]*)*");
  private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9]+");
  private static final Pattern VARIABLE =
      Pattern.compile("[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*\\.[A-Za-z_][A-Za-z0-9_]*");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** The file as written; null fields take the defaults. */
  record File(
      @JsonProperty("packages") List<String> packages,
      @JsonProperty("targets") List<String> targets,
      @JsonProperty("ldflags") LdFlags ldflags,
      @JsonProperty("vet") Boolean vet,
      @JsonProperty("test") Boolean test) {}

  record LdFlags(@JsonProperty("version") String version, @JsonProperty("commit") String commit) {}

  private BuildSpecParser() {}

  /**
   * @param supported which {@code goos/goarch} the toolchain can build
   * @throws InvalidBuildSpecException naming the place and the reason
   */
  public static BuildSpec parse(byte[] yaml, Predicate<String> supported) {
    if (yaml.length > MAX_BYTES) {
      throw new InvalidBuildSpecException(FILE + " is larger than " + MAX_BYTES + " bytes");
    }
    if (blank(yaml)) {
      return BuildSpec.DEFAULT; // empty, or only comments
    }
    File file;
    try {
      file = YAML.readValue(yaml, File.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidBuildSpecException(
          FILE
              + lineOfKey(yaml, e.getPropertyName())
              + ": unknown key '"
              + e.getPropertyName()
              + "' (known: packages, targets, ldflags.version, ldflags.commit, vet, test)");
    } catch (JsonProcessingException e) {
      throw new InvalidBuildSpecException(
          FILE + where(e.getLocation()) + ": " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidBuildSpecException(FILE + " cannot be read: " + e.getMessage());
    }
    BuildSpec d = BuildSpec.DEFAULT;
    if (file == null) {
      return d; // an empty file
    }
    List<String> packages =
        list("packages", file.packages(), d.packages(), PACKAGE::matcher, p -> true);
    List<String> targets =
        list("targets", file.targets(), d.targets(), PLATFORM::matcher, supported);
    String version =
        variable(
            "ldflags.version",
            file.ldflags() == null ? null : file.ldflags().version(),
            d.versionVariable());
    String commit =
        variable(
            "ldflags.commit",
            file.ldflags() == null ? null : file.ldflags().commit(),
            d.commitVariable());
    return new BuildSpec(
        packages,
        targets,
        version,
        commit,
        file.vet() == null ? d.vet() : file.vet(),
        file.test() == null ? d.test() : file.test());
  }

  private static List<String> list(
      String key,
      List<String> given,
      List<String> fallback,
      java.util.function.Function<String, java.util.regex.Matcher> shape,
      Predicate<String> supported) {
    if (given == null) {
      return fallback;
    }
    if (given.isEmpty() || given.size() > MAX_ITEMS) {
      throw new InvalidBuildSpecException(
          FILE + ": '" + key + "' needs 1 to " + MAX_ITEMS + " entries");
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String item : given) {
      if (item == null
          || !shape.apply(item).matches()
          || item.contains("/../")
          || item.endsWith("/..")) {
        throw new InvalidBuildSpecException(
            FILE
                + ": '"
                + key
                + "' has an invalid entry '"
                + item
                + "'"
                + (key.equals("packages")
                    ? " (a path inside the module: '.' or './cmd/name')"
                    : " (goos/goarch)"));
      }
      if (!supported.test(item)) {
        throw new InvalidBuildSpecException(
            FILE
                + ": '"
                + key
                + "' entry '"
                + item
                + "' is not a platform this Go toolchain can build");
      }
      out.add(item);
    }
    return new ArrayList<>(out);
  }

  private static String variable(String key, String given, String fallback) {
    if (given == null) {
      return fallback;
    }
    if (!VARIABLE.matcher(given).matches()) {
      throw new InvalidBuildSpecException(
          FILE
              + ": '"
              + key
              + "' must name a package-level string variable such as main.version, not '"
              + given
              + "'");
    }
    return given;
  }

  /**
   * Where an unknown key is written. Jackson reports where it noticed, which for YAML is often the
   * line after; the key's own line is what a developer looks for.
   */
  private static String lineOfKey(byte[] yaml, String key) {
    String[] lines = new String(yaml, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
    Pattern keyLine = Pattern.compile("^\\s*(-\\s+)?[\"']?" + Pattern.quote(key) + "[\"']?\\s*:.*");
    for (int i = 0; i < lines.length; i++) {
      if (keyLine.matcher(lines[i]).matches()) {
        return ", line " + (i + 1);
      }
    }
    return "";
  }

  private static boolean blank(byte[] yaml) {
    for (String line : new String(yaml, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#") && !t.equals("---") && !t.equals("...")) {
        return false;
      }
    }
    return true;
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return ", line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}

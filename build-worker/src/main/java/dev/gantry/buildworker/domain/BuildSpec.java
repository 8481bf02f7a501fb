package dev.gantry.buildworker.domain;

import java.util.List;

/**
 * What to build, from the repository's {@code .gantry.yml} or the defaults.
 *
 * @param packages main packages relative to the module root, {@code .} or {@code ./cmd/x}; empty
 *     when {@code .gantry.yml} names none, and the build finds them ({@link MainPackages})
 * @param targets {@code goos/goarch} pairs
 * @param versionVariable the string variable {@code -X} sets to the version
 * @param commitVariable the string variable {@code -X} sets to the commit
 */
public record BuildSpec(
    List<String> packages,
    List<String> targets,
    String versionVariable,
    String commitVariable,
    boolean vet,
    boolean test) {

  public static final BuildSpec DEFAULT =
      new BuildSpec(List.of(), List.of("linux/amd64"), "main.version", "main.commit", false, false);

  /** The binary name of a main package: the last path element, or the module's for the root. */
  public static String binaryName(String pkg, String modulePath) {
    String path = pkg.equals(".") ? modulePath : pkg;
    String name = path.substring(path.lastIndexOf('/') + 1);
    // a major-version suffix names no binary: example.com/tool/v2 builds "tool"
    if (name.matches("v[0-9]+") && path.lastIndexOf('/') > 0) {
      String parent = path.substring(0, path.lastIndexOf('/'));
      name = parent.substring(parent.lastIndexOf('/') + 1);
    }
    return name;
  }
}

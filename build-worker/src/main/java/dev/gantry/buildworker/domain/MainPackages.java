package dev.gantry.buildworker.domain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which main packages a build builds when {@code .gantry.yml} names none: the module root when it
 * is one (as always), else the only one there is. Several are an error rather than a guess, because
 * a rollout runs one binary per platform and would otherwise run whichever sorts first (ADR 0013).
 */
public final class MainPackages {
  private static final int SHOWN = 10;

  private MainPackages() {}

  /**
   * @param found the module's main packages, {@code .} or {@code ./cmd/x}, sorted
   * @param count how many there are, beyond those in {@code found} too
   * @param refused main packages reported with a path gantry does not build, as reported
   * @param modulePath the {@code module} line of go.mod
   * @return the one package to build
   * @throws InvalidBuildSpecException saying what was found and the {@code .gantry.yml} line to
   *     write
   */
  public static List<String> choose(
      List<String> found, int count, List<String> refused, String modulePath) {
    if (found.contains(".")) {
      return List.of(".");
    }
    if (!refused.isEmpty()) {
      throw new InvalidBuildSpecException(
          "go list found main packages whose path gantry does not build: "
              + list(refused.stream().map(p -> "'" + p + "'").toList(), refused.size())
              + " (a folder path of letters, digits, '_', '.' and '-'); name the package to build"
              + " in "
              + BuildSpecParser.FILE
              + ": "
              + line(found.isEmpty() ? "./cmd/name" : found.get(0)));
    }
    if (found.isEmpty()) {
      throw new InvalidBuildSpecException(
          "this module has no main package to build (go list ./... found no package main);"
              + " put one at the module root or in ./cmd/<name>/, or name it in "
              + BuildSpecParser.FILE
              + ": "
              + line("./path/to/main"));
    }
    if (count == 1) {
      return List.of(found.get(0));
    }
    String suggested =
        found.stream()
            .filter(
                p ->
                    BuildSpec.binaryName(p, modulePath)
                        .equals(BuildSpec.binaryName(".", modulePath)))
            .findFirst()
            .orElse(found.get(0));
    throw new InvalidBuildSpecException(
        "this module has "
            + count
            + " main packages ("
            + list(found, count)
            + ") and "
            + BuildSpecParser.FILE
            + " names none; a rollout runs one binary per platform, so name the one to build in "
            + BuildSpecParser.FILE
            + ": "
            + line(suggested)
            + " (list several to build each)");
  }

  /**
   * Binaries of one build share a folder per platform, so two packages may not end in the same name
   * ({@code ./a/server}, {@code ./b/server}).
   *
   * @throws InvalidBuildSpecException naming both packages and the name
   */
  public static void requireDistinctBinaries(List<String> packages, String modulePath) {
    Map<String, String> byName = new HashMap<>();
    for (String pkg : packages) {
      String name = BuildSpec.binaryName(pkg, modulePath);
      String other = byName.putIfAbsent(name, pkg);
      if (other != null) {
        throw new InvalidBuildSpecException(
            BuildSpecParser.FILE
                + ": packages "
                + other
                + " and "
                + pkg
                + " would both build a binary named '"
                + name
                + "'; a build publishes one file per name and platform");
      }
    }
  }

  /** The {@code .gantry.yml} line that names {@code pkg}. */
  public static String line(String pkg) {
    return "packages: [\"" + pkg + "\"]";
  }

  private static String list(List<String> shown, int count) {
    String head = shown.stream().limit(SHOWN).collect(Collectors.joining(", "));
    int more = count - Math.min(shown.size(), SHOWN);
    return more > 0 ? head + " and " + more + " more" : head;
  }
}

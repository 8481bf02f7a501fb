package dev.gantry.buildworker.gotool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Finds a module's main packages by asking the go command ({@code go list -find ./...}), so the
 * answer follows Go's own rules: {@code testdata}, {@code vendor}, {@code _x} and {@code .x}
 * folders, nested modules and files excluded by build constraints are not packages of the module.
 * {@code -find} does not resolve imports, so nothing is downloaded and the dependencies need not be
 * in any cache yet.
 *
 * <p>The output is read as untrusted: a folder name may hold a tab or a newline, so a line counts
 * only when its import path is inside the module, has the shape {@code .gantry.yml} accepts, and
 * its folder is exactly that path under the checkout. What is kept is bounded.
 */
public final class GoList {
  /** Name, import path and folder, separated by tabs: one line per package. */
  static final String FORMAT = "{{.Name}}\t{{.ImportPath}}\t{{.Dir}}";

  /** The arguments after {@code go}. */
  public static final List<String> MAIN_PACKAGES =
      List.of("list", "-find", "-e", "-f", FORMAT, "./...");

  static final int MAX_KEPT = 256;
  static final int MAX_OTHER_LINES = 40;
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");

  private GoList() {}

  /**
   * What {@code go list} reported.
   *
   * @param mains main packages as {@code .gantry.yml} writes them ({@code .}, {@code ./cmd/x}),
   *     sorted, at most {@link #MAX_KEPT}
   * @param mainCount how many main packages were reported in all, beyond the bound too
   * @param refused main packages whose path gantry does not build, as go printed them
   * @param otherLines what was not a package line (the go command's own messages), for the log
   */
  public record Found(
      List<String> mains, int mainCount, List<String> refused, List<String> otherLines) {}

  /** Reads {@code go list} output line by line; {@link #found()} once the command has ended. */
  public static final class Reader implements Consumer<String> {
    private final String modulePath;
    private final List<Path> roots;
    private final TreeSet<String> mains = new TreeSet<>();
    private final List<String> refused = new ArrayList<>();
    private final List<String> other = new ArrayList<>();
    private int mainCount;

    /**
     * @param modulePath the {@code module} line of go.mod
     * @param moduleRoot the checkout, where the go command ran
     * @param realModuleRoot the same with links resolved: the go command reports folders under the
     *     working directory as the system resolved it
     */
    public Reader(String modulePath, Path moduleRoot, Path realModuleRoot) {
      this.modulePath = modulePath;
      this.roots = List.of(moduleRoot.normalize(), realModuleRoot.normalize());
    }

    @Override
    public void accept(String line) {
      String[] f = line.split("\t", -1);
      if (f.length != 3 || !f[0].matches("[A-Za-z_][A-Za-z0-9_]*")) {
        keep(other, line, MAX_OTHER_LINES);
        return;
      }
      if (!f[0].equals("main")) {
        return;
      }
      mainCount++;
      String pkg = relative(f[1], f[2]);
      if (pkg == null) {
        keep(refused, f[1], MAX_OTHER_LINES);
      } else if (mains.size() < MAX_KEPT) {
        mains.add(pkg);
      }
    }

    public Found found() {
      return new Found(List.copyOf(mains), mainCount, List.copyOf(refused), List.copyOf(other));
    }

    /** {@code .} or {@code ./a/b} when the package is a folder of this module; null otherwise. */
    private String relative(String importPath, String dir) {
      String rel;
      if (importPath.equals(modulePath)) {
        rel = "";
      } else if (importPath.startsWith(modulePath + "/")) {
        rel = importPath.substring(modulePath.length() + 1);
        for (String segment : rel.split("/", -1)) {
          if (!SEGMENT.matcher(segment).matches()) {
            return null;
          }
        }
      } else {
        return null;
      }
      Path folder;
      try {
        folder = Path.of(dir).normalize();
      } catch (java.nio.file.InvalidPathException e) {
        return null;
      }
      for (Path root : roots) {
        if (folder.equals(rel.isEmpty() ? root : root.resolve(rel).normalize())) {
          return rel.isEmpty() ? "." : "./" + rel;
        }
      }
      return null;
    }

    private static void keep(List<String> list, String line, int max) {
      if (list.size() < max) {
        list.add(line.length() > 300 ? line.substring(0, 300) + "…" : line);
      }
    }
  }
}

package dev.gantry.deploy.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Secrets the manifests reference but never fill: the table in README.md between the {@code
 * secrets-to-create} markers. The rule the tests enforce: a referenced Secret is either defined in
 * the overlay or listed there, and everything listed there is referenced.
 */
final class ExternalSecrets {

  static final Path README = Manifests.MODULE.resolve("README.md");
  private static final String START = "<!-- secrets-to-create:start -->";
  private static final String END = "<!-- secrets-to-create:end -->";
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z0-9.-]+)`\\s*\\|");

  private ExternalSecrets() {}

  static Set<String> documented() {
    List<String> lines;
    try {
      lines = Files.readAllLines(README);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + README, e);
    }
    int start = lines.indexOf(START);
    int end = lines.indexOf(END);
    if (start < 0 || end < start) {
      throw new IllegalStateException(README + " has no " + START + " … " + END + " table");
    }
    Set<String> names = new LinkedHashSet<>();
    for (String line : lines.subList(start + 1, end)) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        names.add(row.group(1));
      }
    }
    return names;
  }
}

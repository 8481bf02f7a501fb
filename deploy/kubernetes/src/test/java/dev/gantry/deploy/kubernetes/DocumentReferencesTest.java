package dev.gantry.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manifests, images, README and ADR 0010 cite documents for their reasons; each cited document
 * must be in the repository. A file kept outside it (a shared folder, a wiki) is a dangling
 * reference for everyone who only has the repository.
 */
class DocumentReferencesTest {

  static final Path REPO = Manifests.MODULE.resolve("../..").normalize();
  private static final Pattern MARKDOWN = Pattern.compile("[A-Za-z0-9_./-]*[A-Za-z0-9_-]\\.md\\b");
  private static final Pattern ADR = Pattern.compile("docs/adr/(\\d{4})");

  @Test
  void shouldCiteOnlyDocumentsThatAreInTheRepository() throws IOException {
    List<String> dangling = new ArrayList<>();
    for (Path file : citingFiles()) {
      String text = Files.readString(file);
      Matcher md = MARKDOWN.matcher(text);
      while (md.find()) {
        String cited = md.group();
        boolean exists =
            Stream.of(file.getParent(), Manifests.MODULE, REPO)
                .anyMatch(dir -> Files.isRegularFile(dir.resolve(cited)));
        if (!exists) {
          dangling.add(REPO.relativize(file) + " cites " + cited);
        }
      }
      Matcher adr = ADR.matcher(text);
      while (adr.find()) {
        String number = adr.group(1);
        try (Stream<Path> adrs = Files.list(REPO.resolve("docs/adr"))) {
          if (adrs.noneMatch(a -> a.getFileName().toString().startsWith(number + "-"))) {
            dangling.add(REPO.relativize(file) + " cites " + adr.group());
          }
        }
      }
    }

    assertThat(dangling).isEmpty();
  }

  private static List<Path> citingFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("base", "overlays", "images")) {
      try (Stream<Path> walk = Files.walk(Manifests.MODULE.resolve(dir))) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      }
    }
    files.add(Manifests.MODULE.resolve("README.md"));
    try (Stream<Path> adrs = Files.list(REPO.resolve("docs/adr"))) {
      adrs.filter(a -> a.getFileName().toString().startsWith("0010-")).forEach(files::add);
    }
    assertThat(files).hasSizeGreaterThan(10);
    return files;
  }
}

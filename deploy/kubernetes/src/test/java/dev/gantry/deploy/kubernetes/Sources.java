package dev.gantry.deploy.kubernetes;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the manifests must agree with in the other modules, read as text: deploy/kubernetes depends
 * on no Gantry module, so that its tests need none of them built.
 */
final class Sources {

  static final Path REPO = Manifests.MODULE.resolve("../..").normalize();

  static final Path TOPICS = REPO.resolve("events/src/main/java/dev/gantry/events/Topics.java");

  private static final Pattern TOPIC =
      Pattern.compile("static final String ([A-Z_]+) = \"([^\"]+)\";");

  private Sources() {}

  /**
   * Every topic in events' Topics.java, by constant ({@code BUILD_REQUESTS → build.requests}): the
   * file holds the topics' names and nothing else as String constants.
   */
  static Map<String, String> topics() {
    String text;
    try {
      text = Files.readString(TOPICS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the topics from " + TOPICS, e);
    }
    Map<String, String> topics = new LinkedHashMap<>();
    Matcher constant = TOPIC.matcher(text);
    while (constant.find()) {
      topics.put(constant.group(1), constant.group(2));
    }
    if (topics.isEmpty()) {
      throw new IllegalStateException(TOPICS + " names no topic as a String constant");
    }
    return topics;
  }

  /** A service module's src/main/resources/application.properties, when the module exists. */
  static Optional<Properties> applicationProperties(String service) {
    Path file = REPO.resolve(service).resolve("src/main/resources/application.properties");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      props.load(reader);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
    return Optional.of(props);
  }
}

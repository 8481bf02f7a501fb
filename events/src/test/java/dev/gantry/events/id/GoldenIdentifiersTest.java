package dev.gantry.events.id;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.events.EventCodec;
import dev.gantry.events.EventTypes;
import dev.gantry.events.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract's own examples name repositories, apps, versions and builds as the rules say. */
class GoldenIdentifiersTest {
  private static final Map<String, Predicate<String>> RULES =
      Map.of(
          "repo", RepoKey::isValid,
          "app", AppName::isValid,
          "appName", AppName::isValid,
          "version", Version::isValid,
          "canaryVersion", Version::isValid,
          "stableVersion", Version::isValid,
          "buildId", BuildId::isValid,
          "canaryBuildId", BuildId::isValid);

  static Stream<String> types() {
    return EventTypes.all().keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("types")
  void shouldNameEveryIdentifierOfAGoldenFileByItsRule(String type) throws Exception {
    List<String> checked = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    walk(EventCodec.mapper().readTree(Golden.json(type)), checked, invalid);

    assertThat(checked).as(type + " names no identifier").isNotEmpty();
    assertThat(invalid).as(type).isEmpty();
  }

  private static void walk(JsonNode node, List<String> checked, List<String> invalid) {
    node.fields()
        .forEachRemaining(
            f -> {
              Predicate<String> rule = RULES.get(f.getKey());
              if (rule != null && f.getValue().isTextual()) {
                checked.add(f.getKey());
                if (!rule.test(f.getValue().asText())) {
                  invalid.add(f.getKey() + "=" + f.getValue().asText());
                }
              }
              if (f.getValue().isContainerNode()) {
                walk(f.getValue(), checked, invalid);
              }
            });
    if (node.isArray()) {
      node.forEach(element -> walk(element, checked, invalid));
    }
  }
}

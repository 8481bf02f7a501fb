package dev.gantry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenFilesTest {

  static Stream<String> types() {
    return EventTypes.all().keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("types")
  void shouldRoundTripGoldenFileWithoutLosingAField(String type) throws Exception {
    byte[] golden = Golden.json(type);
    Class<? extends EventData> dataClass = EventTypes.classOf(type).orElseThrow();

    EventData decoded = EventCodec.decodeData(golden, dataClass);
    JsonNode reencoded = EventCodec.mapper().readTree(EventCodec.encodeData(decoded));

    assertThat(reencoded).isEqualTo(EventCodec.mapper().readTree(golden));
  }

  @ParameterizedTest
  @MethodSource("types")
  void shouldIgnoreFieldsAddedByANewerProducer(String type) throws Exception {
    ObjectNode withExtra = (ObjectNode) EventCodec.mapper().readTree(Golden.json(type));
    withExtra.put("fieldFromTheFuture", "ignored");
    withExtra.putObject("nestedFromTheFuture").put("x", 1);
    Class<? extends EventData> dataClass = EventTypes.classOf(type).orElseThrow();

    EventData decoded =
        EventCodec.decodeData(EventCodec.mapper().writeValueAsBytes(withExtra), dataClass);

    assertThat(decoded).isEqualTo(EventCodec.decodeData(Golden.json(type), dataClass));
  }

  @ParameterizedTest
  @MethodSource("types")
  void shouldNameEveryTypeInThePastTenseWithAVersion(String type) {
    // "rolled-back" is the one past tense with a particle
    assertThat(type).matches("gantry\\.[a-z]+\\.[a-z-]*(ed|led)(-back)?\\.v[0-9]+");
  }

  @org.junit.jupiter.api.Test
  void shouldRejectPayloadThatIsNotJson() {
    assertThatThrownBy(
            () ->
                EventCodec.decodeData(
                    "{not json".getBytes(), dev.gantry.events.build.BuildStarted.class))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("BuildStarted");
  }
}

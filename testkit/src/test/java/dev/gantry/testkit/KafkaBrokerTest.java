package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.Golden;
import dev.gantry.events.build.BuildStarted;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

  @TempDir Path dir;

  @Test
  void shouldKeepEventsWhenRestartedOnSameDirectory() {
    CloudEvent<BuildStarted> event = CloudEvent.of("build-worker", Golden.data(BuildStarted.class));
    try (KafkaBroker first = KafkaBroker.start(dir, 0)) {
      KafkaEvents.publish(first.bootstrapServers(), "kept", "k", event);
    }

    try (KafkaBroker second = KafkaBroker.start(dir, 0)) {
      assertThat(KafkaEvents.readAll(second.bootstrapServers(), "kept"))
          .extracting(EventRecord::event)
          .containsExactly(event);
    }
  }
}

package dev.gantry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.events.build.BuildCancelled;
import dev.gantry.events.build.BuildSucceeded;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  @Test
  void shouldWriteBinaryModeHeadersAndKeyBySubject() {
    BuildSucceeded data = Golden.data(BuildSucceeded.class);
    CloudEvent<BuildSucceeded> event = CloudEvent.of("build-worker", data);

    ProducerRecord<String, byte[]> record = EventCodec.toRecord(Topics.BUILD_EVENTS, event);

    assertThat(record.key()).isEqualTo(data.buildId());
    assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(record, "ce_type")).isEqualTo("gantry.build.succeeded.v1");
    assertThat(header(record, "ce_source")).isEqualTo("build-worker");
    assertThat(header(record, "ce_subject")).isEqualTo(data.buildId());
    assertThat(header(record, "ce_id")).isEqualTo(event.id());
    assertThat(header(record, "content-type")).isEqualTo("application/json");
  }

  @Test
  void shouldDecodeWhatItEncoded() {
    CloudEvent<BuildCancelled> event =
        CloudEvent.of("build-worker", Golden.data(BuildCancelled.class));
    ProducerRecord<String, byte[]> record = EventCodec.toRecord(Topics.BUILD_EVENTS, event);

    CloudEvent<?> decoded = EventCodec.decode(record.headers(), record.value());

    assertThat(decoded).isEqualTo(event);
  }

  @Test
  void shouldReportUnknownTypeSoConsumersCanSkipIt() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_type", "gantry.build.teleported.v1".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> EventCodec.decode(headers, "{}".getBytes()))
        .isInstanceOf(UnknownEventTypeException.class)
        .hasMessageContaining("gantry.build.teleported.v1");
  }

  @Test
  void shouldRejectRecordWithoutId() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_type", EventTypes.BUILD_CANCELLED.getBytes(StandardCharsets.UTF_8));
    headers.add("ce_source", "x".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> EventCodec.decode(headers, Golden.json(EventTypes.BUILD_CANCELLED)))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("ce_id");
  }

  private static String header(ProducerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}

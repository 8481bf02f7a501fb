package dev.gantry.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * CloudEvents Kafka protocol binding, binary content mode: every attribute is a {@code ce_} header,
 * the data is the record value as JSON, and the record key is the subject.
 */
public final class EventCodec {
  public static final String H_SPECVERSION = "ce_specversion";
  public static final String H_ID = "ce_id";
  public static final String H_SOURCE = "ce_source";
  public static final String H_TYPE = "ce_type";
  public static final String H_SUBJECT = "ce_subject";
  public static final String H_TIME = "ce_time";
  public static final String H_CONTENT_TYPE = "content-type";

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private EventCodec() {}

  /** The mapper every contract is written and read with: ISO-8601 times, unknown fields ignored. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] encodeData(EventData data) {
    try {
      return MAPPER.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + data.getClass().getSimpleName(), e);
    }
  }

  public static <T extends EventData> T decodeData(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new MalformedEventException("payload is not a valid " + type.getSimpleName(), e);
    }
  }

  public static Headers headers(CloudEvent<?> event) {
    return headers(event.id(), event.source(), event.type(), event.subject(), event.time());
  }

  /** The binary-mode headers of an event whose data is already serialised (e.g. in an outbox). */
  public static Headers headers(
      String id, String source, String type, String subject, Instant time) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(H_SPECVERSION, bytes(CloudEvent.SPEC_VERSION));
    headers.add(H_ID, bytes(id));
    headers.add(H_SOURCE, bytes(source));
    headers.add(H_TYPE, bytes(type));
    if (subject != null) {
      headers.add(H_SUBJECT, bytes(subject));
    }
    if (time != null) {
      headers.add(H_TIME, bytes(time.toString()));
    }
    headers.add(H_CONTENT_TYPE, bytes(CloudEvent.CONTENT_TYPE));
    return headers;
  }

  public static ProducerRecord<String, byte[]> toRecord(String topic, CloudEvent<?> event) {
    return new ProducerRecord<>(
        topic, null, event.subject(), encodeData(event.data()), headers(event));
  }

  public static ProducerRecord<String, byte[]> toRecord(
      String topic, String key, CloudEvent<?> event) {
    return new ProducerRecord<>(topic, null, key, encodeData(event.data()), headers(event));
  }

  /**
   * Reads a CloudEvent from headers and value.
   *
   * @throws UnknownEventTypeException for a type this version does not know (consumers skip it)
   * @throws MalformedEventException for a record that is not a CloudEvent at all
   */
  public static CloudEvent<?> decode(Headers headers, byte[] value) {
    String type = required(headers, H_TYPE);
    Class<? extends EventData> dataClass =
        EventTypes.classOf(type).orElseThrow(() -> new UnknownEventTypeException(type));
    String time = optional(headers, H_TIME);
    Instant parsedTime;
    try {
      parsedTime = time == null ? null : Instant.parse(time);
    } catch (DateTimeParseException e) {
      throw new MalformedEventException("ce_time is not an RFC 3339 time: " + time, e);
    }
    if (value == null) {
      throw new MalformedEventException("record of type " + type + " has no data", null);
    }
    return new CloudEvent<>(
        required(headers, H_ID),
        required(headers, H_SOURCE),
        type,
        optional(headers, H_SUBJECT),
        parsedTime,
        decodeData(value, dataClass));
  }

  public static CloudEvent<?> decode(ConsumerRecord<?, byte[]> record) {
    return decode(record.headers(), record.value());
  }

  private static String required(Headers headers, String name) {
    String value = optional(headers, name);
    if (value == null || value.isBlank()) {
      throw new MalformedEventException("missing CloudEvents header " + name, null);
    }
    return value;
  }

  private static String optional(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

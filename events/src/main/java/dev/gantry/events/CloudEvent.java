package dev.gantry.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A CloudEvents 1.0 event. On Kafka it travels in binary mode: attributes as {@code ce_*} headers,
 * {@link #data} as the JSON record value (see {@link EventCodec}).
 */
public record CloudEvent<T extends EventData>(
    String id, String source, String type, String subject, Instant time, T data) {

  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/json";

  public CloudEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
  }

  /** A new event with a random id, the type registered for the data class, and the current time. */
  public static <T extends EventData> CloudEvent<T> of(String source, T data) {
    return new CloudEvent<>(
        java.util.UUID.randomUUID().toString(),
        source,
        EventTypes.typeOf(data.getClass()),
        data.subject(),
        Instant.now(),
        data);
  }
}

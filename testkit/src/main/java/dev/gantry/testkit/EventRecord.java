package dev.gantry.testkit;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventData;

/** One CloudEvent as it sits on a topic. */
public record EventRecord(
    String topic, int partition, long offset, String key, CloudEvent<?> event) {

  /** The payload as {@code type}; fails the test if the record carries another event type. */
  public <T extends EventData> T data(Class<T> type) {
    Object data = event.data();
    if (!type.isInstance(data)) {
      throw new AssertionError(
          "expected " + type.getSimpleName() + " but " + this + " holds " + event.type());
    }
    return type.cast(data);
  }

  public String type() {
    return event.type();
  }

  @Override
  public String toString() {
    return topic
        + "-"
        + partition
        + "@"
        + offset
        + " key="
        + key
        + " "
        + event.type()
        + " id="
        + event.id()
        + " subject="
        + event.subject();
  }
}

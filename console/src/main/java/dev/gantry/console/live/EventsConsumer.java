package dev.gantry.console.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.events.CloudEvent;
import dev.gantry.events.EventCodec;
import dev.gantry.events.MalformedEventException;
import dev.gantry.events.UnknownEventTypeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The four topics a page shows live, read from the latest offset with a group id of this instance
 * alone. The console keeps nothing from them and acts on nothing: a record missed (while the
 * console was down, or skipped here) only means an open page refetches on the next one. So offsets
 * are never committed and a record that cannot be read is skipped.
 */
@ApplicationScoped
public class EventsConsumer {
  public static final String SAMPLES = "analysis-samples";
  public static final String VERDICTS = "analysis-verdicts";
  public static final String ROLLOUTS = "rollout-events";
  public static final String BUILDS = "build-events";
  private static final Logger LOG = Logger.getLogger(EventsConsumer.class);

  @Inject LiveHub hub;

  @Incoming(SAMPLES)
  public void sample(ConsumerRecord<String, byte[]> record) {
    forward("sample", record);
  }

  @Incoming(VERDICTS)
  public void verdict(ConsumerRecord<String, byte[]> record) {
    forward("verdict", record);
  }

  @Incoming(ROLLOUTS)
  public void rollout(ConsumerRecord<String, byte[]> record) {
    forward("rollout", record);
  }

  @Incoming(BUILDS)
  public void build(ConsumerRecord<String, byte[]> record) {
    forward("build", record);
  }

  private void forward(String kind, ConsumerRecord<String, byte[]> record) {
    CloudEvent<?> event;
    try {
      event = EventCodec.decode(record);
    } catch (UnknownEventTypeException | MalformedEventException e) {
      LOG.debugf("skipped a record on %s: %s", record.topic(), e.getMessage());
      return;
    }
    JsonNode data = EventCodec.mapper().valueToTree(event.data());
    ObjectNodeWithType out = new ObjectNodeWithType(event.type(), data);
    hub.publish(
        new LiveEvent(
            kind,
            text(data, "rolloutId"),
            text(data, "app") != null ? text(data, "app") : text(data, "appName"),
            text(data, "buildId") != null ? text(data, "buildId") : text(data, "canaryBuildId"),
            out.json()));
  }

  private static String text(JsonNode data, String field) {
    JsonNode v = data.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** The event's data with its CloudEvents type beside it, as the page receives it. */
  private record ObjectNodeWithType(String type, JsonNode data) {
    String json() {
      try {
        return EventCodec.mapper().writeValueAsString(this);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        return "{}";
      }
    }
  }
}

package dev.gantry.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The golden JSON payload of each event type, shipped with the contracts so that every consumer's
 * tests read exactly what producers are held to.
 */
public final class Golden {
  private Golden() {}

  public static byte[] json(String type) {
    String path = "/gantry/events/golden/" + type + ".json";
    try (InputStream in = Golden.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file for " + type);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T extends EventData> T data(Class<T> dataClass) {
    return EventCodec.decodeData(json(EventTypes.typeOf(dataClass)), dataClass);
  }
}

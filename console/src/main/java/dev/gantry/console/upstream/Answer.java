package dev.gantry.console.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.gantry.events.EventCodec;
import java.io.IOException;

/** An upstream's answer as it came: status, content type and body. */
public record Answer(int status, String contentType, byte[] body) {
  public boolean ok() {
    return status >= 200 && status < 300;
  }

  public JsonNode json() {
    if (body.length == 0) {
      return NullNode.getInstance();
    }
    try {
      return EventCodec.mapper().readTree(body);
    } catch (IOException e) {
      return NullNode.getInstance();
    }
  }
}

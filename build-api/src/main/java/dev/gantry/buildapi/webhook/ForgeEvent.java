package dev.gantry.buildapi.webhook;

/** What a delivery is about, as far as builds are concerned. */
public enum ForgeEvent {
  PING,
  PUSH,
  OTHER
}

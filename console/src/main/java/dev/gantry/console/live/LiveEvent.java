package dev.gantry.console.live;

/**
 * One thing that happened, as an open page hears of it.
 *
 * @param kind the SSE event name: {@code sample}, {@code verdict}, {@code rollout} or {@code build}
 * @param rolloutId null for a build event
 * @param app null where the event does not name it (some build events)
 * @param buildId null for sample and verdict events
 * @param data the event's data as JSON, as it travelled on Kafka
 */
public record LiveEvent(String kind, String rolloutId, String app, String buildId, String data) {}

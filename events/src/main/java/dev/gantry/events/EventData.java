package dev.gantry.events;

/**
 * The payload of one CloudEvent. Each implementation is one past-tense fact with one stable {@code
 * type}; the subject (and Kafka key) is derived from the payload so producers cannot get it wrong.
 */
public interface EventData {
  /** The CloudEvents {@code subject}: the aggregate id. */
  String subject();
}

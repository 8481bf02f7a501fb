package dev.gantry.buildapi.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An event written in the same transaction as the state it announces, waiting for the relay. */
@Entity
@Table(name = "outbox")
public class OutboxEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long seq;

  @Column(name = "event_id")
  public UUID eventId;

  public String topic;

  @Column(name = "record_key")
  public String recordKey;

  public String type;
  public String subject;
  public byte[] payload;

  @Column(name = "created_at")
  public Instant createdAt;
}

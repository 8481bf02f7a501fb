package dev.gantry.buildapi.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** A forge delivery that produced (or was answered with) a build. */
@Entity
@Table(name = "deliveries")
public class DeliveryEntity {
  @EmbeddedId public Key key;

  @Column(name = "build_id")
  public UUID buildId;

  @Column(name = "received_at")
  public Instant receivedAt;

  @Embeddable
  public record Key(String provider, @Column(name = "delivery_id") String deliveryId)
      implements Serializable {}
}

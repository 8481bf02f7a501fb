package dev.gantry.monitor.persistence;

import java.time.Instant;

/** A verdict or rollback request as written before publishing, with its event payload. */
public record StoredVerdict(
    String id,
    String rolloutId,
    int step,
    String app,
    String verdict,
    String reason,
    String eventType,
    String payload,
    Instant issuedAt,
    Instant publishedAt) {}

-- What is still to be delivered, per alert, channel and action: the page survives a restart of the
-- monitor. A row is claimed by moving next_attempt_at past the attempt's timeout, so one claimed by
-- a process that died mid-attempt comes due again. Rows for one alert and channel go out in order:
-- a resolve never overtakes its trigger.
CREATE TABLE alert_outbox (
  id              BIGSERIAL PRIMARY KEY,
  alert_id        UUID NOT NULL REFERENCES alerts (id),
  channel         TEXT NOT NULL,
  action          TEXT NOT NULL,
  attempts        INT  NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  done_at         TIMESTAMPTZ,
  outcome         TEXT
);
CREATE INDEX alert_outbox_due ON alert_outbox (next_attempt_at) WHERE done_at IS NULL;
CREATE INDEX alert_outbox_alert ON alert_outbox (alert_id, channel, id);

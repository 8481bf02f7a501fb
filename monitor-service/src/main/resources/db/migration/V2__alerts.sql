-- One incident per rollout and detector: a second FAIL of the same kind is the same page.
CREATE TABLE alerts (
  id             UUID PRIMARY KEY,
  app            TEXT NOT NULL,
  rollout_id     TEXT NOT NULL,
  step           INT  NOT NULL,
  detector       TEXT NOT NULL,
  dedup_key      TEXT NOT NULL,
  canary_version TEXT,
  stable_version TEXT,
  summary        TEXT NOT NULL,
  canary_value   DOUBLE PRECISION,
  stable_value   DOUBLE PRECISION,
  unit           TEXT,
  action         TEXT NOT NULL,
  state          TEXT NOT NULL,
  opened_at      TIMESTAMPTZ NOT NULL,
  resolved_at    TIMESTAMPTZ,
  acked_at       TIMESTAMPTZ,
  UNIQUE (rollout_id, detector)
);
CREATE INDEX alerts_app ON alerts (app, opened_at DESC);

-- Every attempt to deliver a trigger or a resolve to a channel; never the channel's URL or key.
CREATE TABLE alert_deliveries (
  id          BIGSERIAL PRIMARY KEY,
  alert_id    UUID NOT NULL REFERENCES alerts (id),
  channel     TEXT NOT NULL,
  action      TEXT NOT NULL,
  attempt     INT  NOT NULL,
  status_code INT,
  outcome     TEXT NOT NULL,
  at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id, id);

-- Rollout events already applied: a redelivered event is skipped in the same transaction.
CREATE TABLE processed_events (
  event_id     TEXT PRIMARY KEY,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One analysis per rollout step; state RUNNING until it has its verdict or its rollout ended.
CREATE TABLE analyses (
  rollout_id     TEXT NOT NULL,
  step           INT  NOT NULL,
  app            TEXT NOT NULL,
  weight         INT  NOT NULL,
  canary_version TEXT,
  stable_version TEXT,
  canary_commit  TEXT,
  canary_build   TEXT,
  canary_target  JSONB NOT NULL,
  stable_target  JSONB,
  started_at     TIMESTAMPTZ NOT NULL,
  deadline       TIMESTAMPTZ,
  state          TEXT NOT NULL,
  stop_reason    TEXT,
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (rollout_id, step)
);
CREATE INDEX analyses_app ON analyses (app, started_at DESC);
CREATE INDEX analyses_running ON analyses (state) WHERE state = 'RUNNING';

-- Raw profiles as the target sent them, so that go tool pprof can open them.
CREATE TABLE profiles (
  id         UUID PRIMARY KEY,
  rollout_id TEXT NOT NULL,
  step       INT  NOT NULL,
  track      TEXT NOT NULL,
  kind       TEXT NOT NULL,
  taken_at   TIMESTAMPTZ NOT NULL,
  data       BYTEA NOT NULL
);
CREATE INDEX profiles_rollout ON profiles (rollout_id, step);

-- Every scrape, including the failed ones (null values and a reason).
CREATE TABLE samples (
  rollout_id     TEXT NOT NULL,
  step           INT  NOT NULL,
  track          TEXT NOT NULL,
  seq            INT  NOT NULL,
  taken_at       TIMESTAMPTZ NOT NULL,
  goroutines     DOUBLE PRECISION,
  heap_inuse     DOUBLE PRECISION,
  requests       DOUBLE PRECISION,
  errors         DOUBLE PRECISION,
  missing_reason TEXT,
  profile_id     UUID REFERENCES profiles (id),
  PRIMARY KEY (rollout_id, step, track, seq)
);

-- Verdicts and rollback requests, written before they are published; published_at marks the send.
CREATE TABLE verdicts (
  id           UUID PRIMARY KEY,
  rollout_id   TEXT NOT NULL,
  step         INT  NOT NULL,
  app          TEXT NOT NULL,
  verdict      TEXT NOT NULL,
  reason       TEXT NOT NULL,
  event_type   TEXT NOT NULL,
  payload      JSONB NOT NULL,
  issued_at    TIMESTAMPTZ NOT NULL,
  published_at TIMESTAMPTZ
);
CREATE INDEX verdicts_rollout ON verdicts (rollout_id, issued_at);
CREATE INDEX verdicts_unpublished ON verdicts (issued_at) WHERE published_at IS NULL;

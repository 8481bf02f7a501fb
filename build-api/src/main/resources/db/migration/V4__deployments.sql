-- Where each build went after it was built, from rollout.events: one row per build, for the
-- rollout that last deployed it as the canary. Stale reports never overwrite a newer state
-- (see TrailPosition), so position columns are kept with the state they produced.
create table deployments (
    build_id               uuid primary key references builds (id) on delete cascade,
    rollout_id             text        not null,
    app_name               text        not null,
    phase                  text        not null,
    step                   integer,
    weight                 integer     not null,
    reason                 text,
    stable_version         text,
    stable_build_id        uuid,
    occurred_at            timestamptz not null,
    superseded_by_version  text,
    superseded_by_build_id uuid,
    superseded_at          timestamptz
);

-- the canary rolling out against a stable build, to tell how much traffic the stable still has
create index deployments_stable_build_idx on deployments (stable_build_id);

-- The latest verdict of each rollout, from analysis.verdicts. Keyed by rollout, not build:
-- verdicts may name no build, and they travel on another topic than the rollout events, so a
-- verdict can arrive before build-api has read the rollout it belongs to.
create table rollout_verdicts (
    rollout_id  text primary key,
    build_id    uuid,
    step        integer     not null,
    verdict     text        not null,
    issued_at   timestamptz not null,
    summary     text,
    action      text,
    action_at   timestamptz
);

-- rollout-service owns schema rollout; no other service reads it.

create table apps (
    name         text primary key,
    repo         text        not null,
    branch       text        not null,
    router       text        not null,
    health_path  text        not null,
    policy       jsonb       not null,
    created_at   timestamptz not null
);

-- spec and status are the whole truth (RolloutSpec, RolloutStatus as JSON); phase is derived from
-- them and stored only so that queries can filter on it.
create table rollouts (
    id            uuid primary key,
    app           text        not null,
    spec          jsonb       not null,
    status        jsonb       not null,
    phase         text        not null,
    lock_version  bigint      not null,
    wake_at       timestamptz,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

-- at most one rollout per app that has not ended
create unique index rollouts_one_active_per_app on rollouts (app)
    where phase not in ('PROMOTED', 'ABORTED', 'ROLLED_BACK');

create index rollouts_app_created on rollouts (app, created_at desc);

-- the timer asks for due rollouts only
create index rollouts_wake_at on rollouts (wake_at) where wake_at is not null;

create table rollout_transitions (
    id          bigserial primary key,
    rollout_id  uuid        not null references rollouts (id) on delete cascade,
    from_phase  text        not null,
    to_phase    text        not null,
    reason      text        not null,
    message     text,
    at          timestamptz not null
);

create index rollout_transitions_rollout on rollout_transitions (rollout_id, id);

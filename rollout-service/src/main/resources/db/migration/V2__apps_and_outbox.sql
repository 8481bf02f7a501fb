-- Apps are registered through REST; what serves each one is kept with it, so that a promotion, a
-- rollback and the router's desired state all read one row.
drop table apps;

create table apps (
    name              text primary key,
    repo              text        not null,
    branch            text        not null,
    -- AppSpec as JSON: router, health path, listen port, router options, steps, step deadline,
    -- what a newer build does to a running rollout
    spec              jsonb       not null,
    -- the Release serving now, the one before it (for POST /apps/{app}/rollback), and a build
    -- waiting for the running rollout to end
    current_release   jsonb,
    previous_release  jsonb,
    queued_release    jsonb,
    lock_version      bigint      not null default 0,
    created_at        timestamptz not null,
    updated_at        timestamptz not null
);

create unique index apps_repo_branch on apps (repo, branch);

-- a build starts at most one rollout, however often its BuildSucceeded is delivered
create unique index rollouts_one_per_build on rollouts ((spec -> 'canary' ->> 'buildId'));

-- rollout.events to publish, written in the same transaction as the state they report; published
-- in id order per app, after the router has applied that state, and marked once the broker has them
create table outbox (
    id            bigserial primary key,
    event_id      uuid        not null unique,
    app           text        not null,
    rollout_id    uuid,
    event_type    text        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null,
    published_at  timestamptz
);

create index outbox_unpublished on outbox (app, id) where published_at is null;

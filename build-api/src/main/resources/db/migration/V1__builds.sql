-- build-api owns schema build_api; no other service reads it.

create table repos (
    id              uuid primary key,
    provider        text        not null,
    clone_url       text        not null,
    repo_key        text        not null unique,
    webhook_secret  text        not null,
    branches        text        not null default '',
    app_name        text        not null,
    supersede       text        not null,
    created_at      timestamptz not null
);

create table builds (
    id                  uuid primary key,
    repo_id             uuid references repos (id) on delete set null,
    repo_key            text        not null,
    clone_url           text        not null,
    provider            text        not null,
    app_name            text        not null,
    ref                 text        not null,
    ref_type            text        not null,
    ref_name            text        not null,
    commit_sha          text        not null,
    message             text,
    author              text,
    status              text        not null,
    trigger             text        not null,
    version             text,
    skip_reason         text,
    worker              text,
    toolchain           text,
    artifacts           text,
    stage_millis        text,
    cache_hits          bigint,
    cache_misses        bigint,
    error_stage         text,
    error_exit_code     integer,
    error_message       text,
    error_log_tail      text,
    cancel_requested_at timestamptz,
    cancel_reason       text,
    created_at          timestamptz not null,
    started_at          timestamptz,
    finished_at         timestamptz,
    updated_at          timestamptz not null,
    row_version         bigint      not null default 0
);

-- newest-first listing and cursor pagination
create index builds_created_idx on builds (created_at desc, id desc);
create index builds_repo_ref_idx on builds (repo_key, ref_name, created_at desc);
create index builds_status_idx on builds (status);

-- at most one live (queued, running or successful) build per repository, ref and commit:
-- concurrent deliveries of the same push race here, and the loser returns the winner's build
create unique index builds_one_live_per_commit
    on builds (repo_key, ref, commit_sha)
    where status in ('QUEUED', 'RUNNING', 'SUCCEEDED');

-- a forge delivery id maps to the build it produced, forever: redeliveries return it
create table deliveries (
    provider    text        not null,
    delivery_id text        not null,
    build_id    uuid        not null references builds (id) on delete cascade,
    received_at timestamptz not null,
    primary key (provider, delivery_id)
);

-- transactional outbox: written with the build row, published by the relay, deleted once acked
create table outbox (
    seq         bigserial primary key,
    event_id    uuid        not null unique,
    topic       text        not null,
    record_key  text        not null,
    type        text        not null,
    subject     text        not null,
    payload     bytea       not null,
    created_at  timestamptz not null
);

-- Prepared statements switch to generic plans, which cannot use a partial index whose predicate
-- is compared with bound parameters; the repository code writes these statuses as literals.

-- queued or running builds of a ref, for supersede
create index builds_active_idx on builds (repo_key, ref) where status in ('QUEUED', 'RUNNING');

-- one repository's builds, newest first, without sorting all of them
create index builds_repo_created_idx on builds (repo_key, created_at desc, id desc);

-- Pages now also come from automatic rollbacks (critical) and pauses someone must look at
-- (warning), and carry the goroutine stacks that grew (JSON, the FAIL evidence's first stacks).
ALTER TABLE alerts ADD COLUMN severity TEXT NOT NULL DEFAULT 'critical';
ALTER TABLE alerts ADD COLUMN stacks TEXT;

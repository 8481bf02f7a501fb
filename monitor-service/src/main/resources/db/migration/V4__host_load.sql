-- The target host's 1-minute load average per CPU at each scrape, when it could be read.
ALTER TABLE samples ADD COLUMN host_load_per_core DOUBLE PRECISION;

-- The target process's process_cpu_seconds_total at each scrape, when it exposes it.
ALTER TABLE samples ADD COLUMN cpu_seconds DOUBLE PRECISION;

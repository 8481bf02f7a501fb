-- The request duration histogram's _sum and _count at each scrape, when the target exposes one.
ALTER TABLE samples ADD COLUMN latency_sum DOUBLE PRECISION;
ALTER TABLE samples ADD COLUMN latency_count DOUBLE PRECISION;

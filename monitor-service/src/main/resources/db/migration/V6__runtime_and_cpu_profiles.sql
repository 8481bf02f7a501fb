-- go_goroutines and process_resident_memory_bytes from /metrics, the heap profile's inuse_objects.
ALTER TABLE samples ADD COLUMN go_goroutines DOUBLE PRECISION;
ALTER TABLE samples ADD COLUMN rss_bytes DOUBLE PRECISION;
ALTER TABLE samples ADD COLUMN heap_inuse_objects DOUBLE PRECISION;
-- CPU profiles are taken on their own cadence, not per sample: the step lists them with a summary.
ALTER TABLE profiles ADD COLUMN summary TEXT;

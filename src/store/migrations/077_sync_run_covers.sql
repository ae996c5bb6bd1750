-- The newest request a run took (it covers every pending request up to this id): lets a caller follow
-- the request it made (`vortex sync` waits for the run that covers it and prints its outcome).
ALTER TABLE sync_runs ADD COLUMN covers_request_id bigint;
CREATE INDEX sync_runs_covers ON sync_runs (tenant_id, covers_request_id);

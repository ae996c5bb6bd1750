-- A run is a lease: the worker that runs it beats every few seconds. A run whose worker stopped beating
-- (process killed, machine gone) is closed as 'abandoned' by whoever notices first — the tenant's next
-- run or any worker's pump — with the counts of its last beat. A run stopped by a graceful shutdown is
-- closed as 'interrupted'; its requests stay pending and the next run redoes what was not committed.
ALTER TABLE sync_runs ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sync_runs ADD COLUMN worker text;
ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_status_check;
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_status_check
  CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'interrupted', 'abandoned'));
CREATE INDEX sync_runs_running ON sync_runs (heartbeat_at) WHERE status = 'running';

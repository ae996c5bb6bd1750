-- A webhook delivered twice (lexoffice retries, a replay) is one event: the first is accepted, the
-- others are recorded as 'duplicate' and change nothing. The key is organisation + event type +
-- resource + event date; the digest of the raw body is kept for inspection.
ALTER TABLE webhook_events ADD COLUMN dedup_key text;
ALTER TABLE webhook_events ADD COLUMN digest text;
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_status_check;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_status_check CHECK (status IN ('accepted', 'ignored', 'rejected', 'duplicate'));
CREATE UNIQUE INDEX webhook_events_dedup ON webhook_events (source, tenant_id, dedup_key) WHERE status IN ('accepted', 'ignored');

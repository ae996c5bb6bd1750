-- Alerts and metrics (issue 15).
--   alerts            one row per occurrence of a condition (stalled, disconnected, an action item kind)
--                     of a tenant: open while resolved_at is NULL. The dedup key (tenant/kind/subject) is
--                     unique among open alerts, so a condition that persists is one alert however many
--                     evaluators see it.
--   alert_deliveries  one notification of one alert event (opened, reminder, resolved) to one channel
--                     (webhook, email): pending until sent; a failed attempt stays pending with its error
--                     and the time of the next try. lease_until lets several workers send without doubles.
--   api_call_counts   API calls per minute, tenant, API and outcome (ok, rate_limited, client_error,
--                     server_error, network), flushed by each process's recorder (src/sync/api-calls.ts).
--   metric_rollups    what retention folded away (old runs, old minutes of api_call_counts), so the
--                     counters /metrics shows never go down.

CREATE TABLE alerts (
  id                bigserial PRIMARY KEY,
  tenant_id         text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind              text NOT NULL,
  subject           text NOT NULL,
  dedup_key         text NOT NULL,
  summary           text NOT NULL,
  detail            jsonb NOT NULL DEFAULT '{}'::jsonb,
  first_seen        timestamptz NOT NULL,
  last_seen         timestamptz NOT NULL,
  resolved_at       timestamptz,
  last_notified_at  timestamptz,
  reminders         integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX alerts_open_dedup ON alerts (dedup_key) WHERE resolved_at IS NULL;
CREATE INDEX alerts_tenant ON alerts (tenant_id, id DESC);

CREATE TABLE alert_deliveries (
  id               bigserial PRIMARY KEY,
  alert_id         bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  event            text NOT NULL CHECK (event IN ('opened', 'reminder', 'resolved')),
  seq              integer NOT NULL DEFAULT 0,
  channel          text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  lease_until      timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL,
  sent_at          timestamptz,
  UNIQUE (alert_id, event, seq, channel)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE api_call_counts (
  minute     timestamptz NOT NULL,
  tenant_id  text NOT NULL,
  api        text NOT NULL,
  outcome    text NOT NULL,
  n          bigint NOT NULL,
  PRIMARY KEY (minute, tenant_id, api, outcome)
);

CREATE TABLE metric_rollups (
  metric     text NOT NULL,
  tenant_id  text NOT NULL,
  label      text NOT NULL,
  value      double precision NOT NULL,
  PRIMARY KEY (metric, tenant_id, label)
);

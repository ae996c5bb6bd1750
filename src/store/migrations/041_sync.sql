-- Sync bookkeeping. A run of one tenant's connection is requested (sync_requests: heartbeat, manual,
-- webhook, stock change) and executed by one job at a time per tenant; the run consumes every pending
-- request, so a request made while another run is queued or running is never lost.

CREATE TABLE sync_requests (
  id            bigserial PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  what          text NOT NULL CHECK (what IN ('catalog', 'stock', 'reconcile')),
  trigger       text NOT NULL,
  detail        jsonb NOT NULL DEFAULT '{}'::jsonb,
  requested_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_requests_tenant ON sync_requests (tenant_id, id);

CREATE TABLE sync_runs (
  id           bigserial PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  triggers     text[] NOT NULL,
  what         text[] NOT NULL,
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  -- read / changed / pushed / failed / skipped, per step
  counts       jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- API calls made, per API and operation
  api_calls    jsonb NOT NULL DEFAULT '{}'::jsonb,
  error        text,
  job_id       text
);
CREATE INDEX sync_runs_tenant ON sync_runs (tenant_id, id DESC);

-- Every item that failed in a run, with the payload that caused it: visible and replayable.
CREATE TABLE sync_failures (
  id          bigserial PRIMARY KEY,
  run_id      bigint NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  step        text NOT NULL,
  sku         text,
  code        text NOT NULL,
  message     text NOT NULL,
  payload     jsonb,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_failures_tenant ON sync_failures (tenant_id, id DESC);

-- What Vortex wants on Cel.ro per SKU and what it last pushed (with lineage), so a heartbeat
-- without changes writes nothing.
CREATE TABLE channel_offers (
  tenant_id          text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  sku                text NOT NULL,
  desired            jsonb,
  desired_hash       text,
  rule_version_id    bigint,
  input_hash         text,
  pushed             jsonb,
  pushed_hash        text,
  pushed_rule_version_id bigint,
  pushed_at          timestamptz,
  published_qty      integer,
  pushed_qty         integer,
  qty_pushed_at      timestamptz,
  listed             boolean NOT NULL DEFAULT false,
  approval           text NOT NULL DEFAULT 'unknown' CHECK (approval IN ('unknown', 'pending', 'approved', 'rejected')),
  approval_reason    text,
  held_reason        text,
  active             boolean NOT NULL DEFAULT true,
  last_error         text,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, sku)
);

-- Each correction the reconcile job made: what Cel.ro showed, what it should have shown.
CREATE TABLE stock_drift (
  id           bigserial PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  run_id       bigint REFERENCES sync_runs (id) ON DELETE SET NULL,
  sku          text NOT NULL,
  seen_qty     integer,
  expected_qty integer NOT NULL,
  note         text NOT NULL,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_drift_tenant ON stock_drift (tenant_id, id DESC);

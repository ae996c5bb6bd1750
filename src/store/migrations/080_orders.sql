-- Orders (issue 12): every Cel.ro order once, with its import state machine (src/orders/transitions.ts).
--   channel_orders   one row per (tenant, channel, channel order id): the unique key is the first half
--                    of "exactly once" (a duplicate push or poll hit is "already known"); the raw
--                    payload of the last read is kept; lease_owner/lease_until is the per-order lock
--                    (a crash-safe lease, renewed while a worker works the order, taken over when it expires)
--   order_events     the order's history: state changes, API calls made for it, notes
--   order_intake     per tenant: the poll cursor (advanced only after the orders are stored), the
--                    start (the newest order when Vortex took over: older ones are not imported), the
--                    push secret of the Cel.ro API link (hash to check, sealed value to show)
--   buyer_contacts   per tenant and e-mail: the lexoffice contact of a buyer, with a lease so that two
--                    orders of one buyer never create two contacts

CREATE TABLE channel_orders (
  id                   bigserial PRIMARY KEY,
  tenant_id            text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel              text NOT NULL DEFAULT 'celro',
  channel_order_id     text NOT NULL CHECK (length(channel_order_id) BETWEEN 1 AND 64),
  state                text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'mapped', 'quarantined', 'contact_ensured', 'document_pending', 'document_created', 'acknowledged', 'cancelled', 'needs_review')),
  reason_code          text,
  reason               text,
  channel_status       text,
  channel_meaning      text,
  placed_at            text,
  total                text,
  currency             text,
  customer_name        text,
  customer_email       text,
  raw                  jsonb NOT NULL,
  raw_hash             text NOT NULL,
  plan                 jsonb,
  rule_version_id      bigint,
  contact_id           text,
  document_type        text,
  document_id          text,
  document_number      text,
  document_status      text,
  document_attempted_at timestamptz,
  credit_note_id       text,
  credit_note_attempted_at timestamptz,
  cancel_requested     boolean NOT NULL DEFAULT false,
  action_item          text,
  lease_owner          text,
  lease_until          timestamptz,
  received_at          timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  finished_at          timestamptz,
  UNIQUE (tenant_id, channel, channel_order_id)
);
CREATE INDEX channel_orders_tenant_state ON channel_orders (tenant_id, state, id DESC);

CREATE TABLE order_events (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  order_id    bigint NOT NULL REFERENCES channel_orders (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('state', 'api', 'note')),
  from_state  text,
  to_state    text,
  detail      jsonb NOT NULL DEFAULT '{}',
  worker      text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order ON order_events (order_id, id);

CREATE TABLE order_intake (
  tenant_id           text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  cursor              text,
  start_cursor        text,
  last_poll_at        timestamptz,
  last_poll_error     text,
  push_secret_hash    text,
  push_secret_sealed  text,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE buyer_contacts (
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email_key    text NOT NULL,
  contact_id   text,
  lease_owner  text,
  lease_until  timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, email_key)
);

-- Payment status reported for an order by a payment source (the generic signed webhook today; Cel.ro's
-- payment fields and lexoffice's payment state as the orders work reads them). Append-only: the
-- order's payment status is the newest event per order. Deduplicated per source + reference + status.
ALTER TABLE connections DROP CONSTRAINT connections_system_check;
ALTER TABLE connections ADD CONSTRAINT connections_system_check CHECK (system IN ('lexoffice', 'celro', 'fancourier', 'sameday', 'payments'));

CREATE TABLE payment_events (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel_order_id text NOT NULL,
  source           text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'authorized', 'paid', 'refunded', 'failed')),
  amount           numeric(14, 2),
  currency         text,
  provider         text,
  reference        text NOT NULL,
  occurred_at      timestamptz NOT NULL,
  payload          jsonb NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, source, reference, status)
);
CREATE INDEX payment_events_order ON payment_events (tenant_id, channel_order_id, occurred_at DESC);

-- Payment webhook calls are recorded like the others.
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_source_check;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_source_check CHECK (source IN ('lexoffice', 'celro', 'payments'));

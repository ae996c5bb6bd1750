-- Stock ledger: lexoffice has no stock, so Vortex keeps on-hand quantities per tenant and SKU, every
-- change as an entry (reason, author, source), reservations for orders not yet reflected at the
-- source, and the buffer policy (tenant default under sku '*', per-SKU overrides).

CREATE TABLE stock_levels (
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  sku         text NOT NULL CHECK (length(sku) BETWEEN 1 AND 200),
  on_hand     integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved    integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, sku)
);

CREATE TABLE stock_entries (
  id              bigserial PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  sku             text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('set', 'adjust', 'reserve', 'release', 'consume')),
  requested       integer NOT NULL,
  on_hand_after   integer NOT NULL,
  reserved_after  integer NOT NULL,
  reason          text NOT NULL,
  author          text NOT NULL,
  source          text NOT NULL,
  ref             text,
  at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_entries_tenant_sku ON stock_entries (tenant_id, sku, id DESC);

CREATE TABLE stock_reservations (
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  ref          text NOT NULL,
  sku          text NOT NULL,
  quantity     integer NOT NULL CHECK (quantity > 0),
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'consumed')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  settled_at   timestamptz,
  PRIMARY KEY (tenant_id, ref, sku)
);

CREATE TABLE stock_policies (
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  sku           text NOT NULL,
  buffer_kind   text CHECK (buffer_kind IN ('absolute', 'percent')),
  buffer_value  numeric(12, 4) CHECK (buffer_value >= 0),
  floor_qty     integer CHECK (floor_qty >= 0),
  cap_qty       integer CHECK (cap_qty >= 0),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, sku)
);

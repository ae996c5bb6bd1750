-- The invoice PDF on the Cel.ro order (issue 13): a sub-state of each order, kept on its row.
--   invoice_state  none (not looked at yet) → waiting (a draft in lexoffice, or no manual upload yet)
--                  → attached; failed (an action item with the reason, tried again after the fix);
--                  not_applicable (order confirmation, cancelled order)
--   order_invoice_files  PDFs uploaded by hand for merchants who invoice elsewhere (source "manual")
ALTER TABLE channel_orders ADD COLUMN invoice_state text NOT NULL DEFAULT 'none' CHECK (invoice_state IN ('none', 'waiting', 'attached', 'failed', 'not_applicable'));
ALTER TABLE channel_orders ADD COLUMN invoice_reason text;
ALTER TABLE channel_orders ADD COLUMN invoice_source text;
ALTER TABLE channel_orders ADD COLUMN invoice_series text;
ALTER TABLE channel_orders ADD COLUMN invoice_number text;
ALTER TABLE channel_orders ADD COLUMN invoice_bytes integer;
ALTER TABLE channel_orders ADD COLUMN invoice_attempted_at timestamptz;
ALTER TABLE channel_orders ADD COLUMN invoice_attached_at timestamptz;
CREATE INDEX channel_orders_invoice ON channel_orders (tenant_id, invoice_state) WHERE invoice_state IN ('none', 'waiting', 'failed');

CREATE TABLE order_invoice_files (
  tenant_id         text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel_order_id  text NOT NULL,
  series            text NOT NULL CHECK (length(series) BETWEEN 1 AND 20),
  number            text NOT NULL CHECK (length(number) BETWEEN 1 AND 30),
  pdf               bytea NOT NULL,
  uploaded_by       text NOT NULL,
  uploaded_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel_order_id)
);

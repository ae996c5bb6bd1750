-- The parcels of Cel.ro orders: an AWB from a courier adapter (FAN Courier, Sameday) or registered by
-- hand, sent to Cel.ro, then tracked until it ends (delivered, returned, cancelled). Every change is an
-- event in shipment_events, so an order's parcel history can be shown.
CREATE TABLE shipments (
  id                bigserial PRIMARY KEY,
  tenant_id         text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel_order_id  text NOT NULL,
  courier           text NOT NULL,           -- 'fancourier' | 'sameday' | 'manual'
  courier_name      text NOT NULL,           -- as Cel.ro names it (its courier list)
  cel_courier_id    text,
  awb_number        text NOT NULL,
  cost              numeric(12, 2),
  cel_registered    boolean NOT NULL DEFAULT false,
  tracking_state    text NOT NULL DEFAULT 'created',
  tracking          jsonb NOT NULL DEFAULT '[]'::jsonb,
  cel_status        text NOT NULL DEFAULT 'open' CHECK (cel_status IN ('open', 'ready_for_delivery', 'finished')),
  last_error        text,
  tracked_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, channel_order_id, awb_number)
);
CREATE INDEX shipments_open ON shipments (tenant_id) WHERE tracking_state NOT IN ('delivered', 'returned', 'cancelled');

CREATE TABLE shipment_events (
  id           bigserial PRIMARY KEY,
  shipment_id  bigint NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind         text NOT NULL,
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipment_events_shipment ON shipment_events (shipment_id, id);

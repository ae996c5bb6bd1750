-- Every webhook call Vortex received, accepted or not, with its payload: nothing a caller sent is lost,
-- and a forged or malformed call can be inspected.
CREATE TABLE webhook_events (
  id           bigserial PRIMARY KEY,
  tenant_id    text REFERENCES tenants (id) ON DELETE CASCADE,
  source       text NOT NULL CHECK (source IN ('lexoffice', 'celro')),
  event_type   text,
  resource_id  text,
  status       text NOT NULL CHECK (status IN ('accepted', 'ignored', 'rejected')),
  reason       text,
  payload      text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_events_tenant ON webhook_events (tenant_id, id DESC);

-- The lexoffice event subscriptions Vortex created for a tenant (so they can be listed and removed).
CREATE TABLE lexoffice_subscriptions (
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  event_type       text NOT NULL,
  subscription_id  text NOT NULL,
  callback_url     text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, event_type)
);

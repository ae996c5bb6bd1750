-- Published exchange rates (BNR, ECB), append-only: one row per (source, currency, fixing day), the
-- rate kept as the published decimal string. BNR: `multiplier` units of currency = rate RON.
-- ECB: 1 EUR = rate units of currency (multiplier 1). Not tenant-specific: the rates are public.

CREATE TABLE fx_rates (
  source       text NOT NULL CHECK (source IN ('BNR', 'ECB')),
  currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  rate_date    date NOT NULL,
  rate         text NOT NULL CHECK (rate ~ '^[0-9]+(\.[0-9]+)?$'),
  multiplier   integer NOT NULL DEFAULT 1 CHECK (multiplier > 0),
  origin       text,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, currency, rate_date)
);

-- Append-only: a stored publication is evidence for converted documents and never changes.
CREATE FUNCTION fx_rates_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'fx_rates is append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER fx_rates_no_update BEFORE UPDATE OR DELETE ON fx_rates
  FOR EACH ROW EXECUTE FUNCTION fx_rates_append_only();

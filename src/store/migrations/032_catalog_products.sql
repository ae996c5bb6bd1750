-- The tenant's stored catalog as the mapping preview reads it. The catalog-sync work fills it (one row
-- per source article); until then `vortex rules preview --catalog <file>` works without it.
--   sku          the seller's key (lexoffice articleNumber, else the article id)
--   product      canonical Product as JSON (Money as {amount, currency} with decimal strings)
--   raw_article  the lexoffice article JSON text exactly as received (text keeps decimal digits)
--   content_hash sha256 of raw_article, for change detection

CREATE TABLE catalog_products (
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  sku           text NOT NULL,
  source_id     text,
  product       jsonb NOT NULL,
  raw_article   text,
  content_hash  text,
  archived      boolean NOT NULL DEFAULT false,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, sku)
);

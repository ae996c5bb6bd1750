-- A held price change (over Cel.ro's 10 % guard) that the merchant approved: the next publish sends it
-- once with overridePrice, then the flag clears.
ALTER TABLE channel_offers ADD COLUMN override_next boolean NOT NULL DEFAULT false;
ALTER TABLE channel_offers ADD COLUMN held_at timestamptz;

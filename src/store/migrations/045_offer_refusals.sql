-- The desired offer Cel.ro refused (its hash): not sent again until what Vortex wants changes (article,
-- rule version or pricing day), so a refused product is not re-sent on every heartbeat.
ALTER TABLE channel_offers ADD COLUMN refused_hash text;

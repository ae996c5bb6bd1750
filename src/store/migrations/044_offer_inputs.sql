-- What the desired offer was computed from, so an unchanged article (same content, same active rule
-- version, same pricing day) is not evaluated again on every heartbeat.
ALTER TABLE channel_offers ADD COLUMN source_hash text;
ALTER TABLE channel_offers ADD COLUMN priced_on date;

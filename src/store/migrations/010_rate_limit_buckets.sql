-- Token buckets shared by every Vortex process on this database (e.g. lexoffice: 2 req/s per API key,
-- all endpoints together). One row per bucket key; `tokens` may go negative: a negative balance is a
-- queue of reservations that callers wait out (see src/limits/token-bucket.ts).

CREATE TABLE rate_limit_buckets (
  key         text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
  tokens      double precision NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

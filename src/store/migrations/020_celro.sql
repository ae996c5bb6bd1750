-- Cross-process concurrency limits and the Cel.ro token cache.

-- One row per held slot of a counting semaphore (src/limits/semaphore.ts). The primary key makes
-- "at most `capacity` holders" a database fact across every process; a lease that is not renewed
-- expires, so a crashed process cannot keep its slot.
CREATE TABLE semaphore_leases (
  key          text NOT NULL,
  slot         integer NOT NULL CHECK (slot >= 0),
  holder       text NOT NULL,
  acquired_at  timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (key, slot)
);

-- Cel.ro login tokens, one per account (base URL + username), shared by every worker.
-- The token is sealed with the secret box when one is configured.
CREATE TABLE celro_tokens (
  account_key  text PRIMARY KEY,
  token_enc    text NOT NULL,
  obtained_at  timestamptz NOT NULL DEFAULT now()
);

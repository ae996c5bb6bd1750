-- The vendor panel's people (issue 14).
--   users            operators (every tenant, user management) and merchants (the tenants they belong to);
--                    passwords as scrypt hashes, never in clear
--   tenant_members   which merchant may see which tenant
--   user_sessions    one row per logged-in browser; the cookie holds a random token, the row its sha256
--                    (a database leak gives no usable session), plus the CSRF token of that session
--   login_attempts   failed and successful logins, shared by every web process: rate limit and lock-out
CREATE TABLE users (
  id                    bigserial PRIMARY KEY,
  email                 text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  role                  text NOT NULL CHECK (role IN ('operator', 'merchant')),
  password_hash         text NOT NULL,
  must_change_password  boolean NOT NULL DEFAULT false,
  disabled              boolean NOT NULL DEFAULT false,
  created_at            timestamptz NOT NULL DEFAULT now(),
  created_by            text NOT NULL,
  password_changed_at   timestamptz NOT NULL DEFAULT now(),
  last_login_at         timestamptz
);

CREATE TABLE tenant_members (
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, tenant_id)
);
CREATE INDEX tenant_members_tenant ON tenant_members (tenant_id);

CREATE TABLE user_sessions (
  token_hash    text PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  ip            text,
  user_agent    text
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

CREATE TABLE login_attempts (
  id     bigserial PRIMARY KEY,
  email  text NOT NULL,
  ip     text NOT NULL,
  ok     boolean NOT NULL,
  at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_at ON login_attempts (email, at DESC);
CREATE INDEX login_attempts_ip_at ON login_attempts (ip, at DESC);

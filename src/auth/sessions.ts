import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';

export const SESSION_COOKIE = 'vortex_session';

export interface SessionPolicy {
  /** A session unused this long ends. */
  readonly idleMinutes: number;
  /** And every session ends this long after login, used or not. */
  readonly absoluteHours: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 120, absoluteHours: 24 };

export interface ActiveSession {
  readonly userId: number;
  readonly tokenHash: string;
  readonly csrfToken: string;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Browser sessions in the database, so every web process knows every session and "log out everywhere"
 * is one DELETE. The cookie carries a 256-bit random token; only its sha256 is stored.
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  ) {}

  /** Always a new token: a session id from before the login (fixation) is never reused. */
  async create(userId: number, meta: { ip: string; userAgent: string | undefined }): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const row = await this.db.one<{ expires_at: Date }>(
      `INSERT INTO user_sessions (token_hash, user_id, csrf_token, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4), $5, $6) RETURNING expires_at`,
      [hashToken(token), userId, csrfToken, this.policy.idleMinutes, meta.ip.slice(0, 64), meta.userAgent?.slice(0, 300) ?? null],
    );
    return { token, csrfToken, expiresAt: row.expires_at };
  }

  /** The live session of a cookie value, sliding its idle expiry (written at most once a minute). */
  async resolve(token: string): Promise<ActiveSession | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const tokenHash = hashToken(token);
    const row = await this.db.maybeOne<{ user_id: number; csrf_token: string; stale: boolean }>(
      `SELECT s.user_id, s.csrf_token, s.last_seen_at < now() - interval '1 minute' AS stale
       FROM user_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > now() AND s.created_at > now() - make_interval(hours => $2) AND NOT u.disabled`,
      [tokenHash, this.policy.absoluteHours],
    );
    if (!row) return undefined;
    if (row.stale) {
      await this.db.query('UPDATE user_sessions SET last_seen_at = now(), expires_at = now() + make_interval(mins => $2) WHERE token_hash = $1', [tokenHash, this.policy.idleMinutes]);
    }
    return { userId: row.user_id, tokenHash, csrfToken: row.csrf_token };
  }

  async end(tokenHash: string): Promise<void> {
    await this.db.query('DELETE FROM user_sessions WHERE token_hash = $1', [tokenHash]);
  }

  /** Every session of the user, except (optionally) the one making the request. Returns how many ended. */
  async endAllFor(userId: number, except?: string): Promise<number> {
    const rows = await this.db.query('DELETE FROM user_sessions WHERE user_id = $1 AND token_hash <> $2 RETURNING 1 AS x', [userId, except ?? '']);
    return rows.length;
  }
}

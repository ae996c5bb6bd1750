import type { Db } from '../store/db.ts';

/**
 * Login rate limit and lock-out. Failures are counted per e-mail (since its last successful login) and
 * per client address, over a window, in the database so every web process enforces the same limit.
 */
export interface ThrottlePolicy {
  readonly windowMinutes: number;
  /** Failures for one e-mail before it is locked for `lockMinutes` after the last failure. */
  readonly maxFailuresPerEmail: number;
  /** Failures from one address (any e-mails: password spraying) before it is locked. */
  readonly maxFailuresPerIp: number;
  readonly lockMinutes: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { windowMinutes: 15, maxFailuresPerEmail: 5, maxFailuresPerIp: 30, lockMinutes: 15 };

export interface FailureStats {
  readonly emailFailures: number;
  readonly lastEmailFailureAt: Date | null;
  readonly ipFailures: number;
  readonly lastIpFailureAt: Date | null;
}

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number; readonly reason: 'account' | 'address' };

/** Pure: may this login be tried now? */
export function throttleVerdict(stats: FailureStats, now: Date, policy: ThrottlePolicy = DEFAULT_THROTTLE): ThrottleVerdict {
  const until = (last: Date | null) => (last ? Math.ceil((last.getTime() + policy.lockMinutes * 60_000 - now.getTime()) / 1000) : 0);
  if (stats.emailFailures >= policy.maxFailuresPerEmail && until(stats.lastEmailFailureAt) > 0) return { allowed: false, retryAfterSeconds: until(stats.lastEmailFailureAt), reason: 'account' };
  if (stats.ipFailures >= policy.maxFailuresPerIp && until(stats.lastIpFailureAt) > 0) return { allowed: false, retryAfterSeconds: until(stats.lastIpFailureAt), reason: 'address' };
  return { allowed: true };
}

export class LoginThrottle {
  constructor(
    private readonly db: Db,
    readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  async verdict(email: string, ip: string): Promise<ThrottleVerdict> {
    const s = await this.db.one<{ ef: number; el: Date | null; ipf: number; il: Date | null; now: Date }>(
      `SELECT
         (SELECT count(*)::int FROM login_attempts a WHERE a.email = $1 AND NOT a.ok AND a.at > now() - make_interval(mins => $3)
            AND a.at > coalesce((SELECT max(b.at) FROM login_attempts b WHERE b.email = $1 AND b.ok), '-infinity')) AS ef,
         (SELECT max(at) FROM login_attempts WHERE email = $1 AND NOT ok) AS el,
         (SELECT count(*)::int FROM login_attempts WHERE ip = $2 AND NOT ok AND at > now() - make_interval(mins => $3)) AS ipf,
         (SELECT max(at) FROM login_attempts WHERE ip = $2 AND NOT ok) AS il,
         now() AS now`,
      [email, ip, this.policy.windowMinutes],
    );
    return throttleVerdict({ emailFailures: s.ef, lastEmailFailureAt: s.el, ipFailures: s.ipf, lastIpFailureAt: s.il }, s.now, this.policy);
  }

  async record(email: string, ip: string, ok: boolean): Promise<void> {
    await this.db.query('INSERT INTO login_attempts (email, ip, ok) VALUES ($1, $2, $3)', [email.slice(0, 254), ip.slice(0, 64), ok]);
  }
}

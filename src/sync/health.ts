/**
 * How a tenant's connection is doing, from what the runs recorded (pure; the dashboard supplies the rows).
 *  - unconfigured: no connection; disabled: switched off;
 *  - disconnected: the last runs that touched the system all failed on its credentials (401/403, login refused);
 *  - stalled: no run completed within 3 heartbeat intervals (the worker is down, or runs keep failing);
 *  - fresh: otherwise.
 */
export type ConnectionHealth = 'fresh' | 'stalled' | 'disconnected' | 'unconfigured' | 'disabled';

/** Runs that must all have failed on credentials before a connection counts as disconnected. */
export const AUTH_FAILURES_FOR_DISCONNECTED = 2;

const SYSTEM_WORDS: Record<string, RegExp> = { lexoffice: /lexoffice/i, celro: /cel\.ro|celro/i };

/** A run error (or poll error) that says the system refused the credentials. */
export function isAuthFailure(system: string, error: string | null): boolean {
  if (!error) return false;
  const about = SYSTEM_WORDS[system];
  if (about && !about.test(error)) return false;
  return /→ 40[13]\b|\b40[13]\b.*(unauthori[sz]ed|forbidden)|login refused|token refused|auth_failed|API key/i.test(error);
}

export interface HealthInput {
  readonly system: string;
  readonly configured: boolean;
  readonly enabled: boolean;
  /** Whether the system takes part in sync runs (lexoffice, Cel.ro); couriers and payments do not. */
  readonly synced: boolean;
  /** Newest first: finished runs' status and error. */
  readonly recentRuns: ReadonlyArray<{ readonly status: string; readonly error: string | null }>;
  readonly lastCompletedAt: Date | null;
  /** The tenant's first run has not happened yet (a new tenant is not stalled). */
  readonly connectedAt: Date | null;
  readonly heartbeatMinutes: number;
  /** Another recorded failure of this system (the order poll's last error), newest. */
  readonly otherError?: string | null;
  readonly now: Date;
}

export function connectionHealth(h: HealthInput): ConnectionHealth {
  if (!h.configured) return 'unconfigured';
  if (!h.enabled) return 'disabled';
  const last = h.recentRuns.slice(0, AUTH_FAILURES_FOR_DISCONNECTED);
  if (h.synced && last.length === AUTH_FAILURES_FOR_DISCONNECTED && last.every((r) => r.status === 'failed' && isAuthFailure(h.system, r.error))) return 'disconnected';
  if (isAuthFailure(h.system, h.otherError ?? null)) return 'disconnected';
  if (!h.synced) return 'fresh';
  const stallMs = 3 * h.heartbeatMinutes * 60_000;
  const since = h.lastCompletedAt ?? h.connectedAt;
  if (since && h.now.getTime() - since.getTime() > stallMs) return 'stalled';
  return 'fresh';
}

/** When the heartbeat cron (every N minutes, on the minute grid) fires next after `now`. */
export function nextHeartbeat(now: Date, minutes: number): Date {
  const step = minutes * 60_000;
  return new Date(Math.floor(now.getTime() / step) * step + step);
}

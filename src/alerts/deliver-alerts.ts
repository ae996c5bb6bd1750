import { errorMessage } from '../core/errors.ts';
import type { Queryable } from '../store/db.ts';
import { AlertRepository, noticeOf } from './alerts-repo.ts';
import type { Notifier } from './ports.ts';

export interface DeliverDeps {
  readonly db: Queryable;
  readonly notifiers: readonly Notifier[];
  readonly log?: { warn(obj: object, msg: string): void };
  /** Deliveries taken per call (default 50). */
  readonly batch?: number;
}

/** Wait before the next try after `attempts` failed ones: 30 s, 1, 2, 4 … min, at most 30 min. Never given up. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Send the notifications that are due. Each is leased while it is sent (another worker skips it); a
 * success marks it sent; a failure keeps it pending with the error and the time of the next try, so no
 * alert is lost to a receiver that is down. A channel no longer configured keeps its deliveries pending
 * (visible in GET /api/alerts) until it is configured again.
 */
export async function deliverAlerts(deps: DeliverDeps, now: Date): Promise<{ sent: number; failed: number }> {
  const repo = new AlertRepository(deps.db);
  const due = await repo.claimDue(now, deps.batch ?? 50, 120);
  let sent = 0;
  let failed = 0;
  for (const d of due) {
    const notifier = deps.notifiers.find((n) => n.channel === d.channel);
    try {
      if (!notifier) throw new Error(`channel "${d.channel}" is not configured`);
      await notifier.send(noticeOf(d));
      await repo.sent(d.id, now);
      sent++;
    } catch (e) {
      failed++;
      const retryAt = new Date(now.getTime() + retryDelayMs(d.attempts));
      deps.log?.warn({ alertId: d.alert.id, delivery: d.id, channel: d.channel, attempt: d.attempts, retryAt, err: errorMessage(e) }, 'alert notification failed; it stays pending and is tried again');
      await repo.failed(d.id, errorMessage(e), retryAt);
    }
  }
  return { sent, failed };
}

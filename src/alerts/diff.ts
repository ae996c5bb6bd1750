import type { AlertCondition } from './conditions.ts';

/** An open alert as stored (what the diff needs of it). */
export interface OpenAlert {
  readonly id: number;
  readonly dedupKey: string;
  readonly firstSeen: Date;
  readonly lastNotifiedAt: Date | null;
  readonly reminders: number;
}

export interface AlertDiff {
  /** Conditions without an open alert: open one and notify. */
  readonly open: readonly AlertCondition[];
  /** Open alerts whose condition persists: refresh last_seen and the summary, notify nothing. */
  readonly keep: ReadonlyArray<{ readonly alert: OpenAlert; readonly condition: AlertCondition }>;
  /** Kept alerts due for a reminder (a subset of keep). */
  readonly remind: readonly OpenAlert[];
  /** Open alerts whose condition is gone: resolve and notify. */
  readonly resolve: readonly OpenAlert[];
}

/**
 * Evaluate → diff (pure). A condition is matched to an open alert by its dedup key only, so a summary
 * that changes (3 quarantined orders, then 4) is the same alert and is not sent again. A reminder is
 * due when `remindAfterMs` (> 0) passed since the alert was last notified (or opened).
 */
export function diffAlerts(conditions: readonly AlertCondition[], open: readonly OpenAlert[], now: Date, remindAfterMs = 0): AlertDiff {
  const byKey = new Map(open.map((a) => [a.dedupKey, a]));
  const seen = new Set<string>();
  const toOpen: AlertCondition[] = [];
  const keep: Array<{ alert: OpenAlert; condition: AlertCondition }> = [];
  const remind: OpenAlert[] = [];
  for (const c of conditions) {
    if (seen.has(c.dedupKey)) continue; // the same cause twice in one evaluation is one alert
    seen.add(c.dedupKey);
    const alert = byKey.get(c.dedupKey);
    if (!alert) {
      toOpen.push(c);
      continue;
    }
    keep.push({ alert, condition: c });
    const since = alert.lastNotifiedAt ?? alert.firstSeen;
    if (remindAfterMs > 0 && now.getTime() - since.getTime() >= remindAfterMs) remind.push(alert);
  }
  const resolve = open.filter((a) => !seen.has(a.dedupKey));
  return { open: toOpen, keep, remind, resolve };
}

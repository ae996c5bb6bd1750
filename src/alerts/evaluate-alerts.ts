import { errorMessage } from '../core/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { actionItems } from '../sync/action-items.ts';
import { tenantConnections } from '../sync/connection-status.ts';
import { AlertRepository } from './alerts-repo.ts';
import { ALERTING_ACTION_ITEM_KINDS, alertConditions, type TenantSnapshot } from './conditions.ts';
import { diffAlerts } from './diff.ts';

/** The advisory lock an evaluator holds for a tenant: one evaluation of a tenant at a time across all processes. */
export const evaluateLock = (tenantId: string): string => `alerts.evaluate/${tenantId}`;

export interface EvaluateDeps {
  readonly db: Db;
  /** The channels notifications are queued for (those configured). */
  readonly channels: readonly string[];
  readonly remindAfterMs: number;
  readonly log?: { warn(obj: object, msg: string): void };
}

export interface EvaluateResult {
  /** Tenants evaluated by this call; a tenant another process was evaluating at that moment is skipped. */
  readonly evaluated: number;
  readonly skipped: number;
  readonly opened: number;
  readonly resolved: number;
  readonly reminded: number;
  readonly failedTenants: readonly string[];
}

/** What the alert conditions read of one tenant. */
export async function tenantSnapshot(db: Queryable, tenant: { id: string; name: string; status: string; settings: Record<string, unknown> }, now: Date): Promise<TenantSnapshot> {
  const { heartbeatMinutes, connections } = await tenantConnections(db, tenant, now);
  return { tenant, heartbeatMinutes, connections, actionItems: await actionItems(db, tenant.id, ALERTING_ACTION_ITEM_KINDS) };
}

/**
 * Evaluate every tenant's conditions against its open alerts and write the difference: open (and queue
 * "opened"), refresh, remind, resolve (and queue "resolved"). Per tenant one transaction under an
 * advisory lock, so two evaluators never both open or resolve the same alert (the unique open dedup key
 * would refuse a second one anyway); an evaluator finding the lock taken skips that tenant. A tenant
 * whose evaluation fails is logged and left as it was; the others go on.
 */
export async function evaluateAlerts(deps: EvaluateDeps, now: Date): Promise<EvaluateResult> {
  const tenants = await deps.db.query<{ id: string; name: string; status: string; settings: Record<string, unknown> }>('SELECT id, name, status, settings FROM tenants ORDER BY id');
  const total = { evaluated: 0, skipped: 0, opened: 0, resolved: 0, reminded: 0 };
  const failedTenants: string[] = [];
  for (const t of tenants) {
    try {
      const r = await deps.db.tryWithLock(evaluateLock(t.id), (tx) => evaluateTenant(tx, t, deps, now));
      if (!r.acquired) {
        total.skipped++;
        continue;
      }
      total.evaluated++;
      total.opened += r.value.opened;
      total.resolved += r.value.resolved;
      total.reminded += r.value.reminded;
    } catch (e) {
      deps.log?.warn({ tenantId: t.id, err: errorMessage(e) }, 'alert evaluation failed for a tenant; tried again at the next evaluation');
      failedTenants.push(t.id);
    }
  }
  return { ...total, failedTenants };
}

async function evaluateTenant(tx: Queryable, t: { id: string; name: string; status: string; settings: Record<string, unknown> }, deps: EvaluateDeps, now: Date) {
  const repo = new AlertRepository(tx);
  const diff = diffAlerts(alertConditions(await tenantSnapshot(tx, t, now)), await repo.openAlerts(t.id), now, deps.remindAfterMs);
  let opened = 0;
  let resolved = 0;
  let reminded = 0;
  for (const c of diff.open) {
    const id = await repo.open(c, now);
    if (id === undefined) continue;
    await repo.queue(id, 'opened', 0, deps.channels, now);
    opened++;
  }
  for (const { alert, condition } of diff.keep) await repo.refresh(alert.id, condition, now);
  for (const a of diff.remind) {
    const seq = await repo.remind(a.id, now);
    if (seq === undefined) continue;
    await repo.queue(a.id, 'reminder', seq, deps.channels, now);
    reminded++;
  }
  for (const a of diff.resolve) {
    if (!(await repo.resolve(a.id, now))) continue;
    await repo.queue(a.id, 'resolved', 0, deps.channels, now);
    resolved++;
  }
  return { opened, resolved, reminded };
}

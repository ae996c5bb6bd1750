import type { ActionItemGroup } from '../sync/action-items.ts';
import type { ConnectionStatus } from '../sync/connection-status.ts';

/**
 * What raises an alert (pure). A connection that is `stalled` (no run completed in 3 heartbeat
 * intervals) or `disconnected` (its credentials refused, run after run) is one alert per connection;
 * each kind of action item (quarantined orders, dead jobs, rejected products, failed invoice uploads)
 * is one alert per tenant, whatever the number of items, so 40 quarantined orders are one message.
 */
export const ALERT_KINDS = ['stalled', 'disconnected', 'quarantined_orders', 'dead_jobs', 'rejected_products', 'failed_invoice_uploads'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The action item kinds that raise alerts, and the alert kind each raises. */
export const ALERTING_ACTION_ITEMS = {
  quarantinedOrders: 'quarantined_orders',
  deadJobs: 'dead_jobs',
  rejectedProducts: 'rejected_products',
  failedInvoiceUploads: 'failed_invoice_uploads',
} as const satisfies Record<string, AlertKind>;
export type AlertingActionItem = keyof typeof ALERTING_ACTION_ITEMS;
export const ALERTING_ACTION_ITEM_KINDS = Object.keys(ALERTING_ACTION_ITEMS) as AlertingActionItem[];

export interface AlertCondition {
  readonly tenantId: string;
  readonly kind: AlertKind;
  /** What in the tenant: the connection's system, or `*` for a kind of action item. */
  readonly subject: string;
  /** tenant/kind/subject: stable while the cause lasts. */
  readonly dedupKey: string;
  readonly summary: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface TenantSnapshot {
  readonly tenant: { readonly id: string; readonly name: string };
  readonly heartbeatMinutes: number;
  readonly connections: readonly ConnectionStatus[];
  readonly actionItems: Readonly<Record<AlertingActionItem, ActionItemGroup>>;
}

export function dedupKey(tenantId: string, kind: AlertKind, subject: string): string {
  return `${tenantId}/${kind}/${subject}`;
}

const SYSTEM_NAMES: Record<string, string> = { lexoffice: 'lexoffice', celro: 'Cel.ro', fancourier: 'FAN Courier', sameday: 'Sameday', payments: 'payments' };

const WHAT: Record<AlertingActionItem, (n: number) => string> = {
  quarantinedOrders: (n) => `${n} Cel.ro order${n === 1 ? '' : 's'} quarantined (not imported into lexoffice until fixed and replayed)`,
  deadJobs: (n) => `${n} job${n === 1 ? '' : 's'} gave up (dead letter) in the last 24 h`,
  rejectedProducts: (n) => `${n} product${n === 1 ? '' : 's'} rejected by Cel.ro`,
  failedInvoiceUploads: (n) => `${n} invoice upload${n === 1 ? '' : 's'} to Cel.ro failed`,
};

/** The alert conditions of one tenant now. */
export function alertConditions(s: TenantSnapshot): AlertCondition[] {
  const out: AlertCondition[] = [];
  const t = s.tenant.id;
  for (const c of s.connections) {
    if (c.health !== 'stalled' && c.health !== 'disconnected') continue;
    const name = SYSTEM_NAMES[c.system] ?? c.system;
    const summary =
      c.health === 'stalled'
        ? `${name} connection stalled: no sync run completed ${c.lastHeartbeatAt ? `since ${c.lastHeartbeatAt.toISOString()}` : 'yet'} (3 heartbeats = ${3 * s.heartbeatMinutes} min)`
        : `${name} connection disconnected: its credentials were refused${c.lastError ? ` (${c.lastError.slice(0, 300)})` : ''}`;
    out.push({
      tenantId: t,
      kind: c.health,
      subject: c.system,
      dedupKey: dedupKey(t, c.health, c.system),
      summary,
      detail: { system: c.system, lastHeartbeatAt: c.lastHeartbeatAt?.toISOString() ?? null, lastError: c.lastError, heartbeatMinutes: s.heartbeatMinutes },
    });
  }
  for (const item of ALERTING_ACTION_ITEM_KINDS) {
    const g = s.actionItems[item];
    if (!g || g.count === 0) continue;
    const kind = ALERTING_ACTION_ITEMS[item];
    out.push({
      tenantId: t,
      kind,
      subject: '*',
      dedupKey: dedupKey(t, kind, '*'),
      summary: WHAT[item](g.count),
      detail: { count: g.count, items: g.items.map((i) => ({ key: i.key, reason: i.reason?.slice(0, 300) ?? null, at: i.at?.toISOString() ?? null })) },
    });
  }
  return out;
}

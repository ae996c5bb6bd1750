import type { Queryable } from '../store/db.ts';

/**
 * What needs a person, per tenant: the one definition the dashboard, the alerts and /metrics read.
 * Each kind is a set of rows (a table and a condition) with what to show of one row.
 */
export const ACTION_ITEM_KINDS = ['heldPrices', 'quarantinedOrders', 'ordersNeedingReview', 'rejectedProducts', 'failedInvoiceUploads', 'syncFailures', 'deadJobs'] as const;
export type ActionItemKind = (typeof ACTION_ITEM_KINDS)[number];

interface ItemSource {
  /** `FROM …` (aliased `x`). */
  readonly from: string;
  /** The tenant of a row. */
  readonly tenant: string;
  readonly where: string;
  readonly key: string;
  readonly reason: string;
  readonly at: string;
  readonly order: string;
}

/** Dead letters (jobs that gave up) younger than this count as an action item; older ones are history. */
export const DEAD_JOB_WINDOW_HOURS = 24;

const SOURCES: Record<ActionItemKind, ItemSource> = {
  heldPrices: { from: 'channel_offers x', tenant: 'x.tenant_id', where: 'x.held_reason IS NOT NULL', key: 'x.sku', reason: 'x.held_reason', at: 'x.held_at', order: 'x.held_at DESC NULLS LAST, x.sku' },
  quarantinedOrders: { from: 'channel_orders x', tenant: 'x.tenant_id', where: "x.state = 'quarantined'", key: 'x.channel_order_id', reason: 'coalesce(x.action_item, x.reason)', at: 'x.updated_at', order: 'x.id DESC' },
  ordersNeedingReview: { from: 'channel_orders x', tenant: 'x.tenant_id', where: "x.state = 'needs_review'", key: 'x.channel_order_id', reason: 'coalesce(x.action_item, x.reason)', at: 'x.updated_at', order: 'x.id DESC' },
  rejectedProducts: { from: 'channel_offers x', tenant: 'x.tenant_id', where: "x.approval = 'rejected'", key: 'x.sku', reason: 'x.approval_reason', at: 'x.updated_at', order: 'x.updated_at DESC, x.sku' },
  failedInvoiceUploads: { from: 'channel_orders x', tenant: 'x.tenant_id', where: "x.invoice_state = 'failed'", key: 'x.channel_order_id', reason: 'x.invoice_reason', at: 'x.invoice_attempted_at', order: 'x.id DESC' },
  syncFailures: {
    from: 'sync_failures x',
    tenant: 'x.tenant_id',
    where: "x.run_id = (SELECT max(r.id) FROM sync_runs r WHERE r.tenant_id = x.tenant_id AND r.status <> 'running')",
    key: 'coalesce(x.sku, x.step)',
    reason: 'x.message',
    at: 'x.at',
    order: 'x.id',
  },
  // A Vortex job carries its tenant in its data; its dead letter (`<job>.dead`) keeps the data and the error.
  // A dead letter whose work was picked up again — a job with the same key queued, running, or completed
  // after it (a killed worker's job failed by the supervisor while the intake had already queued the
  // order again; a busy order's job superseded) — is history, not an action item.
  deadJobs: {
    from: 'pgboss.job x',
    tenant: "x.data->>'tenantId'",
    where: `x.name LIKE '%.dead' AND x.created_on > now() - interval '${DEAD_JOB_WINDOW_HOURS} hours'
      AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = left(x.name, length(x.name) - 5) AND j.singleton_key = x.singleton_key
        AND (j.state IN ('created', 'retry', 'active') OR (j.state = 'completed' AND j.completed_on > x.created_on)))`,
    key: "x.name || ' ' || coalesce(x.data->>'orderId', x.source_id::text, x.id::text)",
    reason: "coalesce(x.source_output->>'error', x.source_output::text)",
    at: 'x.created_on',
    order: 'x.created_on DESC',
  },
};

export interface ActionItem {
  readonly key: string;
  readonly reason: string | null;
  readonly at: Date | null;
}

export interface ActionItemGroup {
  readonly count: number;
  /** The first few, newest first (failures of the last run in their order). */
  readonly items: readonly ActionItem[];
}

/** One kind for one tenant: how many, and the first `few`. */
export async function actionItemGroup(db: Queryable, tenantId: string, kind: ActionItemKind, few = 5): Promise<ActionItemGroup> {
  const s = SOURCES[kind];
  if (kind === 'deadJobs' && !(await hasJobTable(db))) return { count: 0, items: [] };
  const [{ n }] = (await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${s.from} WHERE ${s.tenant} = $1 AND ${s.where}`, [tenantId])) as [{ n: number }];
  if (!n) return { count: 0, items: [] };
  const items = await db.query<ActionItem>(`SELECT ${s.key} AS key, ${s.reason} AS reason, ${s.at} AS at FROM ${s.from} WHERE ${s.tenant} = $1 AND ${s.where} ORDER BY ${s.order} LIMIT ${Math.trunc(few)}`, [tenantId]);
  return { count: n, items };
}

/** pg-boss creates its schema when a queue first starts: a store without it has no jobs (asked first, so a transaction never fails on it). */
async function hasJobTable(db: Queryable): Promise<boolean> {
  return (await db.one<{ ok: boolean }>("SELECT to_regclass('pgboss.job') IS NOT NULL AS ok")).ok;
}

/** Every kind asked for, for one tenant. */
export async function actionItems<K extends ActionItemKind>(db: Queryable, tenantId: string, kinds: readonly K[], few = 5): Promise<Record<K, ActionItemGroup>> {
  const out = {} as Record<K, ActionItemGroup>;
  for (const k of kinds) out[k] = await actionItemGroup(db, tenantId, k, few);
  return out;
}

/** Counts per tenant and kind over all tenants (for /metrics); kinds with none are left out. */
export async function actionItemCounts(db: Queryable): Promise<Array<{ tenant: string; kind: ActionItemKind; count: number }>> {
  const out: Array<{ tenant: string; kind: ActionItemKind; count: number }> = [];
  for (const kind of ACTION_ITEM_KINDS) {
    const s = SOURCES[kind];
    if (kind === 'deadJobs' && !(await hasJobTable(db))) continue;
    const rows = await db.query<{ tenant: string; n: number }>(`SELECT ${s.tenant} AS tenant, count(*) AS n FROM ${s.from} WHERE ${s.where} AND ${s.tenant} IS NOT NULL GROUP BY 1`);
    for (const r of rows) out.push({ tenant: r.tenant, kind, count: r.n });
  }
  return out;
}

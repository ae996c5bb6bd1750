import type { Db, Queryable } from '../store/db.ts';

/**
 * The figures /metrics derives from the tables at scrape time, in one place with what retention folds
 * into `metric_rollups` before it deletes rows: counters and histograms then never go down when old
 * runs or old minutes of API call counts are removed.
 */
export const PUBLISH_SECONDS_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200] as const;
export const ORDER_IMPORT_SECONDS_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 900, 3600, 21600] as const;

/** Catalog runs that published (`tenant_id`, `s` = finished − started). */
export const publishDurations = (and = '') =>
  `SELECT tenant_id, extract(epoch FROM finished_at - started_at)::float8 AS s FROM sync_runs
   WHERE 'catalog' = ANY(what) AND status IN ('succeeded', 'partial') AND finished_at IS NOT NULL ${and}`;

/** Orders from received by Vortex to their lexoffice document created (first time). */
export const orderImportDurations = () =>
  `SELECT o.tenant_id, greatest(0, extract(epoch FROM e.at - o.received_at))::float8 AS s FROM channel_orders o
   JOIN (SELECT order_id, min(at) AS at FROM order_events WHERE kind = 'state' AND to_state = 'document_created' GROUP BY order_id) e ON e.order_id = o.id`;

export interface TenantHistogram {
  /** Cumulative counts per bucket (≤ le), in the order of the bucket list. */
  readonly buckets: number[];
  readonly count: number;
  readonly sum: number;
}

function histogramSql(durations: string, buckets: readonly number[]): string {
  const cols = buckets.map((le, i) => `count(*) FILTER (WHERE s <= ${Number(le)}) AS b${i}`).join(', ');
  return `SELECT tenant_id, count(*) AS n, coalesce(sum(s), 0)::float8 AS sum, ${cols} FROM (${durations}) d GROUP BY tenant_id`;
}

/** A histogram per tenant over the rows of `durations`, plus what was rolled up under `metric`. */
export async function histogramByTenant(db: Queryable, durations: string, buckets: readonly number[], metric?: string): Promise<Map<string, TenantHistogram>> {
  const out = new Map<string, { buckets: number[]; count: number; sum: number }>();
  const entry = (t: string) => {
    let e = out.get(t);
    if (!e) out.set(t, (e = { buckets: buckets.map(() => 0), count: 0, sum: 0 }));
    return e;
  };
  for (const r of await db.query<Record<string, number> & { tenant_id: string; n: number; sum: number }>(histogramSql(durations, buckets))) {
    const e = entry(r.tenant_id);
    e.count += Number(r.n);
    e.sum += Number(r.sum);
    buckets.forEach((_, i) => (e.buckets[i]! += Number(r[`b${i}`])));
  }
  if (metric) {
    for (const r of await db.query<{ tenant_id: string; label: string; value: number }>('SELECT tenant_id, label, value FROM metric_rollups WHERE metric = $1', [metric])) {
      const e = entry(r.tenant_id);
      if (r.label === 'count') e.count += r.value;
      else if (r.label === 'sum') e.sum += r.value;
      else {
        const i = buckets.findIndex((le) => `le=${le}` === r.label);
        if (i >= 0) e.buckets[i]! += r.value; // a bucket no longer in the list is left out
      }
    }
  }
  return out;
}

/** Totals per tenant and label: live rows plus rollups. */
export async function totalsByTenant(db: Queryable, liveSql: string, metric: string): Promise<Array<{ tenant: string; label: string; value: number }>> {
  const rows = await db.query<{ tenant_id: string; label: string; value: number }>(
    `SELECT tenant_id, label, sum(value)::float8 AS value FROM (${liveSql} UNION ALL SELECT tenant_id, label, value FROM metric_rollups WHERE metric = $1) x GROUP BY tenant_id, label ORDER BY tenant_id, label`,
    [metric],
  );
  return rows.map((r) => ({ tenant: r.tenant_id, label: r.label, value: Number(r.value) }));
}

/** Finished runs per tenant and status (`label` = status). */
export const RUNS_LIVE = "SELECT tenant_id, status AS label, count(*)::float8 AS value FROM sync_runs WHERE status <> 'running' GROUP BY tenant_id, status";
/** API calls per tenant, `label` = "<api> <outcome>". */
export const API_CALLS_LIVE = "SELECT tenant_id, api || ' ' || outcome AS label, sum(n)::float8 AS value FROM api_call_counts GROUP BY tenant_id, api, outcome";

const UPSERT = 'ON CONFLICT (metric, tenant_id, label) DO UPDATE SET value = metric_rollups.value + excluded.value';

/**
 * Retention for runs and API call minutes older than `days`: fold them into metric_rollups and delete them,
 * in one transaction (a crash between the two can neither lose nor double a count). Returns what was deleted.
 */
export async function foldAndDelete(db: Db, days: number): Promise<{ syncRuns: number; apiCallMinutes: number }> {
  return db.transaction(async (tx) => {
    const cut = 'now() - make_interval(days => $1)';
    const old = `AND started_at < ${cut}`;
    await tx.query(`INSERT INTO metric_rollups (metric, tenant_id, label, value) SELECT 'sync_runs', tenant_id, status, count(*) FROM sync_runs WHERE status <> 'running' ${old} GROUP BY tenant_id, status ${UPSERT}`, [days]);
    const labels = ["('count', h.n::float8)", "('sum', h.sum)", ...PUBLISH_SECONDS_BUCKETS.map((le, i) => `('le=${le}', h.b${i}::float8)`)].join(', ');
    await tx.query(
      `INSERT INTO metric_rollups (metric, tenant_id, label, value)
       SELECT 'publish_seconds', h.tenant_id, x.label, x.value FROM (${histogramSql(publishDurations(old), PUBLISH_SECONDS_BUCKETS)}) h CROSS JOIN LATERAL (VALUES ${labels}) AS x (label, value) ${UPSERT}`,
      [days],
    );
    const syncRuns = (await tx.query(`DELETE FROM sync_runs WHERE status <> 'running' ${old} RETURNING 1`, [days])).length;
    await tx.query(`INSERT INTO metric_rollups (metric, tenant_id, label, value) SELECT 'api_calls', tenant_id, api || ' ' || outcome, sum(n) FROM api_call_counts WHERE minute < ${cut} GROUP BY tenant_id, api, outcome ${UPSERT}`, [days]);
    const apiCallMinutes = (await tx.query(`DELETE FROM api_call_counts WHERE minute < ${cut} RETURNING 1`, [days])).length;
    return { syncRuns, apiCallMinutes };
  });
}

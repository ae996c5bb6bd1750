import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { errorMessage } from '../../core/errors.ts';
import { actionItems } from '../../sync/action-items.ts';
import { tenantConnections } from '../../sync/connection-status.ts';
import { celroConnectionSettingsSchema, lexofficeConnectionSettingsSchema } from '../../sync/schedule.ts';
import { TenantRepository } from '../../tenants/tenants.ts';
import { dateTime, docsFor } from '../openapi.ts';

const at = dateTime;
const counts = z.record(z.string(), z.record(z.string(), z.number()));
const item = z.object({ key: z.string().describe('SKU, order id or run id'), reason: z.string().nullable(), at: at.nullable() });
const actionGroup = z.object({ count: z.number(), items: z.array(item).describe('the first few') });
const dashboardView = z.object({
  tenant: z.object({ id: z.string(), name: z.string(), status: z.string() }),
  now: at,
  heartbeatMinutes: z.number(),
  connections: z.array(
    z.object({
      system: z.string(),
      configured: z.boolean(),
      enabled: z.boolean(),
      health: z.enum(['fresh', 'stalled', 'disconnected', 'unconfigured', 'disabled']),
      lastHeartbeatAt: at.nullable().describe('when a sync run last completed (lexoffice, Cel.ro)'),
      nextHeartbeatAt: at.nullable(),
      lastError: z.string().nullable(),
    }),
  ),
  runs: z.array(
    z.object({
      id: z.number(),
      triggers: z.array(z.string()),
      what: z.array(z.string()),
      status: z.string(),
      startedAt: at,
      finishedAt: at.nullable(),
      counts,
      apiCalls: counts,
      failures: z.number(),
      error: z.string().nullable(),
    }),
  ),
  running: z.object({ id: z.number(), what: z.array(z.string()), startedAt: at, heartbeatAt: at, counts, apiCalls: counts, worker: z.string().nullable() }).nullable().describe('the run in progress: counts so far, renewed every 5 s'),
  apiBudget: z.array(
    z.object({
      api: z.string(),
      lastHour: z.number(),
      last24h: z.number(),
      rateLimited24h: z.number().describe('calls refused with 429 in 24 h (as recorded)'),
      limit: z.string().describe('the configured budget in words'),
    }),
  ),
  queue: z.object({ perTenant: z.boolean(), queued: z.number(), active: z.number(), retrying: z.number(), byJob: z.array(z.object({ name: z.string(), state: z.string(), count: z.number() })), note: z.string().optional() }),
  ordersPerDay: z.array(z.object({ day: z.string(), count: z.number() })).describe('the last 14 days, oldest first, by when Vortex received them (Romanian time)'),
  publishLatency: z.array(z.object({ runId: z.number(), at, seconds: z.number() })).describe('catalog runs: finished − started, oldest first'),
  actionItems: z.object({
    heldPrices: actionGroup,
    quarantinedOrders: actionGroup,
    ordersNeedingReview: actionGroup,
    rejectedProducts: actionGroup,
    failedInvoiceUploads: actionGroup,
    syncFailures: actionGroup.describe('items that failed in the last finished run'),
  }),
});

const schema = docsFor('dashboard')({ summary: 'Everything the panel’s home page shows, in one answer', response: dashboardView });
const FEW = 5;
const DASHBOARD_ACTION_ITEMS = ['heldPrices', 'quarantinedOrders', 'ordersNeedingReview', 'rejectedProducts', 'failedInvoiceUploads', 'syncFailures'] as const;

interface RunRow {
  id: number;
  triggers: string[];
  what: string[];
  status: string;
  started_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date;
  counts: Record<string, Record<string, number>>;
  api_calls: Record<string, Record<string, number>>;
  error: string | null;
  worker: string | null;
  failures: number;
}

/** The panel's home page: connection health, runs, API budget, queue, charts and what needs action. */
export function dashboardRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    const tenants = new TenantRepository(ctx.db, ctx.box);
    const db = ctx.db;

    app.get<{ Params: { id: string } }>('/tenants/:id/dashboard', { schema }, async (req) => {
      const tenantId = req.params.id;
      const tenant = await tenants.get(tenantId);
      const now = new Date();
      const { heartbeatMinutes, connections, rows: conns } = await tenantConnections(db, tenant, now);
      const runRows = await db.query<RunRow>(
        `SELECT r.id, r.triggers, r.what, r.status, r.started_at, r.finished_at, r.heartbeat_at, r.counts, r.api_calls, r.error, r.worker,
                (SELECT count(*) FROM sync_failures f WHERE f.run_id = r.id) AS failures
         FROM sync_runs r WHERE r.tenant_id = $1 ORDER BY r.id DESC LIMIT 10`,
        [tenantId],
      );

      const running = runRows.find((r) => r.status === 'running');
      return {
        tenant: { id: tenant.id, name: tenant.name, status: tenant.status },
        now,
        heartbeatMinutes,
        connections,
        runs: runRows.map((r) => ({ id: r.id, triggers: r.triggers, what: r.what, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, counts: r.counts, apiCalls: r.api_calls, failures: r.failures, error: r.error })),
        running: running ? { id: running.id, what: running.what, startedAt: running.started_at, heartbeatAt: running.heartbeat_at, counts: running.counts, apiCalls: running.api_calls, worker: running.worker } : null,
        apiBudget: await apiBudget(ctx, tenantId, conns),
        queue: await queueDepth(ctx, tenantId),
        ordersPerDay: await ordersPerDay(ctx, tenantId, now),
        publishLatency: await db.query<{ runId: number; at: Date; seconds: number }>(
          `SELECT id AS "runId", finished_at AS at, round(extract(epoch FROM finished_at - started_at)::numeric, 1)::float8 AS seconds FROM (
             SELECT id, started_at, finished_at FROM sync_runs WHERE tenant_id = $1 AND 'catalog' = ANY(what) AND status IN ('succeeded', 'partial') AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 30
           ) r ORDER BY id`,
          [tenantId],
        ),
        actionItems: await actionItems(db, tenantId, DASHBOARD_ACTION_ITEMS, FEW),
      };
    });
  };
}

/** API calls per API in the last hour and day: the sync runs' tallies plus the calls recorded for orders. */
async function apiBudget(ctx: AppContext, tenantId: string, conns: ReadonlyArray<{ system: string; settings: Record<string, unknown> }>) {
  const rows = await ctx.db.query<{ api: string; hour: number; day: number }>(
    `SELECT api, sum(n) FILTER (WHERE at > now() - interval '1 hour')::int AS hour, sum(n)::int AS day FROM (
       SELECT a.key AS api, (o.value)::text::int AS n, coalesce(r.finished_at, r.heartbeat_at) AS at
       FROM sync_runs r, jsonb_each(r.api_calls) a, jsonb_each(a.value) o
       WHERE r.tenant_id = $1 AND r.started_at > now() - interval '24 hours' AND jsonb_typeof(a.value) = 'object'
       UNION ALL
       SELECT e.detail->>'api', 1, e.at FROM order_events e WHERE e.tenant_id = $1 AND e.kind = 'api' AND e.at > now() - interval '24 hours'
     ) x WHERE api IS NOT NULL GROUP BY api ORDER BY api`,
    [tenantId],
  );
  const limited = await ctx.db.query<{ api: string; n: number }>(
    `SELECT api, count(*)::int AS n FROM (
       SELECT CASE WHEN f.message ~* 'cel\\.ro' THEN 'celro' ELSE 'lexoffice' END AS api FROM sync_failures f
        WHERE f.tenant_id = $1 AND f.code = 'rate_limited' AND f.at > now() - interval '24 hours'
       UNION ALL
       SELECT e.detail->>'api' FROM order_events e WHERE e.tenant_id = $1 AND e.kind = 'api' AND e.at > now() - interval '24 hours' AND e.detail->>'outcome' ~* '429|too many'
     ) x GROUP BY api`,
    [tenantId],
  );
  const lex = lexofficeConnectionSettingsSchema.safeParse(conns.find((c) => c.system === 'lexoffice')?.settings ?? {});
  const cel = celroConnectionSettingsSchema.safeParse(conns.find((c) => c.system === 'celro')?.settings ?? {});
  const limits: Record<string, string> = {
    lexoffice: `${lex.success ? lex.data.ratePerSecond : 2} requests/s paced (lexoffice allows 2/s per API key, all endpoints together)`,
    celro: `${cel.success ? cel.data.maxInFlight : 4} simultaneous connections (Cel.ro allows 10 per account, shared with people in its panel)`,
  };
  const apis = [...new Set(['lexoffice', 'celro', ...rows.map((r) => r.api)])];
  return apis.map((api) => {
    const r = rows.find((x) => x.api === api);
    return { api, lastHour: r?.hour ?? 0, last24h: r?.day ?? 0, rateLimited24h: limited.find((x) => x.api === api)?.n ?? 0, limit: limits[api] ?? 'no budget configured' };
  });
}

/** Jobs of this tenant waiting or running in pg-boss (every Vortex job carries its tenant in its data). */
async function queueDepth(ctx: AppContext, tenantId: string) {
  try {
    const byJob = await ctx.db.query<{ name: string; state: string; count: number }>(
      `SELECT name, state::text AS state, count(*)::int AS count FROM pgboss.job
       WHERE data->>'tenantId' = $1 AND state::text IN ('created', 'retry', 'active') GROUP BY name, state ORDER BY name, state`,
      [tenantId],
    );
    const sum = (s: string) => byJob.filter((j) => j.state === s).reduce((a, j) => a + j.count, 0);
    return { perTenant: true, queued: sum('created'), active: sum('active'), retrying: sum('retry'), byJob };
  } catch (e) {
    return { perTenant: false, queued: 0, active: 0, retrying: 0, byJob: [], note: `job table not readable: ${errorMessage(e).slice(0, 200)}` };
  }
}

async function ordersPerDay(ctx: AppContext, tenantId: string, now: Date) {
  const rows = await ctx.db.query<{ day: string; count: number }>(
    `SELECT to_char(received_at AT TIME ZONE 'Europe/Bucharest', 'YYYY-MM-DD') AS day, count(*)::int AS count
     FROM channel_orders WHERE tenant_id = $1 AND received_at > now() - interval '15 days' GROUP BY 1`,
    [tenantId],
  );
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit', day: '2-digit' });
  const days: Array<{ day: string; count: number }> = [];
  for (let i = 13; i >= 0; i--) {
    const day = fmt.format(new Date(now.getTime() - i * 86_400_000));
    days.push({ day, count: rows.find((r) => r.day === day)?.count ?? 0 });
  }
  return days;
}

import type { FastifyInstance } from 'fastify';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../context.ts';
import { actionItemCounts } from '../sync/action-items.ts';
import {
  API_CALLS_LIVE,
  histogramByTenant,
  ORDER_IMPORT_SECONDS_BUCKETS,
  orderImportDurations,
  PUBLISH_SECONDS_BUCKETS,
  publishDurations,
  RUNS_LIVE,
  totalsByTenant,
} from '../sync/run-metrics.ts';
import { machineAuth } from './auth.ts';

interface Sample {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

/**
 * GET /metrics (Prometheus text format), behind the same auth as the API. Process metrics plus
 * per-tenant sync health read from the database at scrape time, so every process reports the same
 * picture whichever worker did the work. README "Operations" says what each one means.
 */
export function metricsModule(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> =>
    root.register(async (app) => {
      const registry = new Registry();
      collectDefaultMetrics({ register: registry, prefix: 'vortex_' });
      const db = ctx.db;
      const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) =>
        new Gauge({
          name,
          help,
          labelNames,
          registers: [registry],
          async collect() {
            this.reset();
            await collect(this as Gauge);
          },
        });

      gauge('vortex_sync_pending_requests', 'Sync requests waiting for a run', ['tenant'], async (g) => {
        for (const r of await db.query<{ tenant_id: string; n: number }>('SELECT tenant_id, count(*) AS n FROM sync_requests GROUP BY tenant_id')) g.set({ tenant: r.tenant_id }, r.n);
      });
      gauge('vortex_sync_last_run_ok', '1 when the tenant’s last finished run succeeded, 0 when it failed or was partial', ['tenant', 'status'], async (g) => {
        const rows = await db.query<{ tenant_id: string; status: string }>(
          "SELECT DISTINCT ON (tenant_id) tenant_id, status FROM sync_runs WHERE status <> 'running' ORDER BY tenant_id, id DESC",
        );
        for (const r of rows) g.set({ tenant: r.tenant_id, status: r.status }, r.status === 'succeeded' ? 1 : 0);
      });
      gauge('vortex_sync_last_success_age_seconds', 'Seconds since the tenant’s last successful run', ['tenant'], async (g) => {
        const rows = await db.query<{ tenant_id: string; age: string }>(
          "SELECT tenant_id, extract(epoch FROM now() - max(finished_at))::text AS age FROM sync_runs WHERE status = 'succeeded' GROUP BY tenant_id",
        );
        for (const r of rows) g.set({ tenant: r.tenant_id }, Number(r.age));
      });
      gauge('vortex_offers', 'Offers per state (held price changes, rejected by Cel.ro, pending approval, last push failed)', ['tenant', 'state'], async (g) => {
        const rows = await db.query<{ tenant_id: string; held: number; rejected: number; pending: number; error: number }>(
          `SELECT tenant_id, count(*) FILTER (WHERE held_reason IS NOT NULL) AS held, count(*) FILTER (WHERE approval = 'rejected') AS rejected,
                  count(*) FILTER (WHERE approval = 'pending') AS pending, count(*) FILTER (WHERE last_error IS NOT NULL) AS error
           FROM channel_offers GROUP BY tenant_id`,
        );
        for (const r of rows) for (const state of ['held', 'rejected', 'pending', 'error'] as const) g.set({ tenant: r.tenant_id, state }, r[state]);
      });
      gauge('vortex_stock_drift_last_hour', 'Stock corrections made by reconcile in the last hour', ['tenant'], async (g) => {
        for (const r of await db.query<{ tenant_id: string; n: number }>("SELECT tenant_id, count(*) AS n FROM stock_drift WHERE at > now() - interval '1 hour' GROUP BY tenant_id")) g.set({ tenant: r.tenant_id }, r.n);
      });
      gauge('vortex_webhooks_rejected_last_hour', 'Webhook calls refused (forged, unsigned, malformed) in the last hour', ['source'], async (g) => {
        for (const r of await db.query<{ source: string; n: number }>("SELECT source, count(*) AS n FROM webhook_events WHERE status = 'rejected' AND received_at > now() - interval '1 hour' GROUP BY source")) g.set({ source: r.source }, r.n);
      });

      // Counters and histograms computed from the tables (and the rollups retention keeps), so every
      // process reports the same totals; prom-client's own Counter/Histogram only count in one process.
      const derived = (name: string, help: string, type: 'counter' | 'histogram', collect: () => Promise<Sample[]>) =>
        registry.registerMetric({ name, help, type, get: async () => ({ name, help, type, values: await collect(), aggregator: 'sum' }) } as unknown as Gauge);
      const histogram = (name: string, help: string, durations: string, buckets: readonly number[], rollup?: string) =>
        derived(name, help, 'histogram', async () => {
          const out: Sample[] = [];
          for (const [tenant, h] of await histogramByTenant(db, durations, buckets, rollup)) {
            buckets.forEach((le, i) => out.push({ metricName: `${name}_bucket`, labels: { tenant, le }, value: h.buckets[i]! }));
            out.push({ metricName: `${name}_bucket`, labels: { tenant, le: '+Inf' }, value: h.count });
            out.push({ metricName: `${name}_sum`, labels: { tenant }, value: h.sum });
            out.push({ metricName: `${name}_count`, labels: { tenant }, value: h.count });
          }
          return out;
        });

      derived('vortex_sync_runs_total', 'Finished sync runs per tenant and status (succeeded, partial, failed, interrupted, abandoned)', 'counter', async () =>
        (await totalsByTenant(db, RUNS_LIVE, 'sync_runs')).map((r) => ({ labels: { tenant: r.tenant, status: r.label }, value: r.value })),
      );
      derived('vortex_api_calls_total', 'HTTP calls to lexoffice and Cel.ro per tenant, API and outcome (ok, rate_limited = 429, client_error, server_error, network), every process and job', 'counter', async () => {
        await ctx.apiCalls?.flush().catch(() => {}); // this process's latest calls too
        return (await totalsByTenant(db, API_CALLS_LIVE, 'api_calls')).map((r) => {
          const [api = '', outcome = ''] = r.label.split(' ');
          return { labels: { tenant: r.tenant, api, outcome }, value: r.value };
        });
      });
      histogram('vortex_publish_duration_seconds', 'Catalog runs that published (succeeded or partial): finished − started', publishDurations(), PUBLISH_SECONDS_BUCKETS, 'publish_seconds');
      histogram('vortex_order_import_seconds', 'Cel.ro orders: received by Vortex → lexoffice document created', orderImportDurations(), ORDER_IMPORT_SECONDS_BUCKETS);
      gauge('vortex_queue_jobs', 'Jobs per pg-boss queue and state (created = waiting, retry, active); <job>.dead queues hold dead letters', ['queue', 'state'], async (g) => {
        if (!(await db.one<{ ok: boolean }>("SELECT to_regclass('pgboss.job') IS NOT NULL AS ok")).ok) return;
        const rows = await db.query<{ name: string; state: string; n: number }>("SELECT name, state::text AS state, count(*) AS n FROM pgboss.job WHERE state::text IN ('created', 'retry', 'active') GROUP BY name, state");
        for (const r of rows) g.set({ queue: r.name, state: r.state }, r.n);
      });
      gauge('vortex_action_items', 'What needs a person, per tenant and kind (the dashboard’s action items, plus dead jobs of the last 24 h)', ['tenant', 'kind'], async (g) => {
        for (const r of await actionItemCounts(db)) g.set({ tenant: r.tenant, kind: r.kind }, r.count);
      });
      gauge('vortex_alerts_open', 'Open alerts per tenant and kind (stalled, disconnected, quarantined_orders, dead_jobs, rejected_products, failed_invoice_uploads)', ['tenant', 'kind'], async (g) => {
        for (const r of await db.query<{ tenant_id: string; kind: string; n: number }>('SELECT tenant_id, kind, count(*) AS n FROM alerts WHERE resolved_at IS NULL GROUP BY tenant_id, kind')) g.set({ tenant: r.tenant_id, kind: r.kind }, r.n);
      });
      gauge('vortex_alert_notifications_pending', 'Alert notifications not delivered yet per channel; failing = at least one attempt failed', ['channel', 'failing'], async (g) => {
        const rows = await db.query<{ channel: string; failing: boolean; n: number }>("SELECT channel, last_error IS NOT NULL AS failing, count(*) AS n FROM alert_deliveries WHERE status = 'pending' GROUP BY 1, 2");
        for (const r of rows) g.set({ channel: r.channel, failing: String(r.failing) }, r.n);
      });

      app.addHook('onRequest', machineAuth(ctx.config.apiToken));
      app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
    });
}

import type { FastifyInstance } from 'fastify';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../context.ts';
import { machineAuth } from './auth.ts';

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

      app.addHook('onRequest', machineAuth(ctx.config.apiToken));
      app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
    });
}

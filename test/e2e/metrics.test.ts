import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alertCycle } from '../../src/alerts/alerts-job.ts';
import { ensureCelroApiLink } from '../../src/orders/api-link.ts';
import { registerOrderJobs } from '../../src/orders/register-jobs.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { storeVariants } from '../helpers/stores.ts';
import { waitFor } from '../helpers/wait.ts';
import { startWorld, TENANT, type World } from '../helpers/world.ts';

/**
 * /metrics after real work on the simulators: a catalog run through lexoffice 429s, an order imported
 * into lexoffice, one waiting in quarantine, an alert evaluation — each new series present with values that
 * match what happened.
 */
for (const variant of await storeVariants()) {
  describe(`/metrics on ${variant.name}: runs, API calls and 429s, latencies, queue, action items, alerts`, { skip: variant.skip }, () => {
    let w: World;
    let text = '';
    /** The value of one series (labels in any order), or undefined. */
    const value = (name: string, labels: Record<string, string>): number | undefined => {
      for (const line of text.split('\n')) {
        const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (!m || m[1] !== name) continue;
        const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
        if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
      }
      return undefined;
    };
    const place = async (lines: Array<{ model: string; quantity: number }>): Promise<string> => {
      const r = await fetch(`${w.cel.origin}/_sim/orders`, { method: 'POST', body: JSON.stringify({ lines }) });
      assert.equal(r.status, 201, await r.clone().text());
      return String(((await r.json()) as { order: { id_comanda: number } }).order.id_comanda);
    };
    const orderState = async (id: string) => (await w.db.maybeOne<{ state: string }>('SELECT state FROM channel_orders WHERE tenant_id = $1 AND channel_order_id = $2', [TENANT, id]))?.state;

    before(async () => {
      w = await startWorld(variant, { articles: 20 });
      // The first two article reads refused with 429 (retried by the client): counted as rate_limited.
      w.lex.setFaults([{ kind: 'rate-limit', count: 2, path: '/v1/articles' }]);
      assert.equal((await w.sync(['catalog', 'stock'])).status, 'succeeded');
      w.lex.setFaults([]);
      w.cel.state.settle(true);
      const tenants = new TenantRepository(w.db, w.ctx.box);
      await tenants.setConnection(TENANT, 'lexoffice', { credentials: { apiKey: w.lex.apiKey }, baseUrl: w.lex.url, settings: { webhookPublicKey: w.lex.publicKeyPem, ratePerSecond: 10, burst: 5 } }, 'test');
      await registerOrderJobs(w.ctx, w.engine);
      await ensureCelroApiLink({ ...w.ctx, config: { ...w.ctx.config, publicUrl: w.webUrl } }, TENANT);
      const sku = [...w.cel.state.products.values()].find((p) => p.stock >= 2)!.model;
      const good = await place([{ model: sku, quantity: 1 }]);
      await waitFor('order imported', async () => ['acknowledged', 'document_created'].includes((await orderState(good)) ?? ''), 60_000);
      // Scrape only once no order job is due or running: a lexoffice call the simulator has already
      // answered may otherwise not be counted yet. (Fulfilment jobs have no worker in this world.)
      await waitFor('order jobs done', async () => {
        const left = await w.db.query("SELECT 1 FROM pgboss.job WHERE name LIKE 'orders.%' AND (state = 'active' OR (state IN ('created', 'retry') AND start_after <= now()))");
        return left.length === 0;
      }, 60_000);
      // An order waiting in quarantine (orders.test.ts shows how one gets there).
      await w.db.query(`INSERT INTO channel_orders (tenant_id, channel_order_id, raw, raw_hash, state, reason_code) VALUES ($1, '99999', '{}'::jsonb, 'h', 'quarantined', 'unknown_sku')`, [TENANT]);
      await alertCycle(w.ctx, [], 24, new Date());
      const res = await fetch(`${w.webUrl}/metrics`);
      assert.equal(res.status, 200);
      text = await res.text();
    });
    after(async () => w?.close());

    it('runs per status, as a counter', () => {
      assert.equal(value('vortex_sync_runs_total', { tenant: TENANT, status: 'succeeded' }), 1);
      assert.match(text, /# TYPE vortex_sync_runs_total counter/);
    });

    it('API calls per API and outcome, 429s included, from every caller (the run, the order import)', async () => {
      const lexOk = value('vortex_api_calls_total', { tenant: TENANT, api: 'lexoffice', outcome: 'ok' }) ?? 0;
      const lex429 = value('vortex_api_calls_total', { tenant: TENANT, api: 'lexoffice', outcome: 'rate_limited' }) ?? 0;
      const celOk = value('vortex_api_calls_total', { tenant: TENANT, api: 'celro', outcome: 'ok' }) ?? 0;
      assert.ok(lexOk > 0 && celOk > 0, `lexoffice ${lexOk}, celro ${celOk}`);
      assert.equal(lex429, 2, 'the simulator’s 429s are counted');
      // What the lexoffice simulator saw equals what Vortex counted (every attempt, retries too).
      const served = w.lex.requests();
      assert.equal(lexOk, served.filter((r) => r.status < 400).length);
      assert.equal(lex429, served.filter((r) => r.status === 429).length);
      // The order import's calls are in there: more lexoffice calls than the catalog run made alone.
      const runCalls = (await w.db.one<{ n: number }>("SELECT coalesce(sum((value)::text::int), 0) AS n FROM sync_runs, jsonb_each(api_calls->'lexoffice')")).n;
      assert.ok(lexOk > runCalls, `${lexOk} ok calls counted, the run recorded ${runCalls}`);
    });

    it('latency histograms: publish (the catalog run) and order import (received → document created)', () => {
      assert.equal(value('vortex_publish_duration_seconds_count', { tenant: TENANT }), 1);
      assert.equal(value('vortex_publish_duration_seconds_bucket', { tenant: TENANT, le: '+Inf' }), 1);
      assert.ok((value('vortex_publish_duration_seconds_sum', { tenant: TENANT }) ?? 0) > 0);
      assert.match(text, /# TYPE vortex_publish_duration_seconds histogram/);
      assert.equal(value('vortex_order_import_seconds_count', { tenant: TENANT }), 1, 'the imported order; the quarantined one has no document');
      assert.equal(value('vortex_order_import_seconds_bucket', { tenant: TENANT, le: '60' }), 1, 'imported within a minute');
      const sum = value('vortex_order_import_seconds_sum', { tenant: TENANT }) ?? -1;
      assert.ok(sum >= 0 && sum < 60, String(sum));
    });

    it('queue depth per queue, action items per kind, open alerts per kind', () => {
      assert.match(text, /# TYPE vortex_queue_jobs gauge/);
      assert.equal(value('vortex_action_items', { tenant: TENANT, kind: 'quarantinedOrders' }), 1);
      assert.equal(value('vortex_alerts_open', { tenant: TENANT, kind: 'quarantined_orders' }), 1);
    });
  });
}

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { importOrderJob } from '../../src/orders/jobs.ts';
import { TENANT } from '../helpers/world.ts';
import { documentsPerOrder, orderWorld, runOrderChaos } from '../helpers/order-chaos.ts';
import { exited, startVortex } from '../helpers/process.ts';
import { postgresAvailable } from '../helpers/stores.ts';
import { waitFor } from '../helpers/wait.ts';
import type { World } from '../helpers/world.ts';

// Exactly once with real processes on PostgreSQL: four `vortex worker` processes, one order pushed
// a hundred times at once (plus import jobs sent past the queue's de-duplication), and a chaos run
// with SIGKILLs at random moments and lexoffice faults.

const pg = await postgresAvailable();

describe('orders exactly once across `vortex worker` processes on PostgreSQL', { skip: pg.ok ? false : 'PostgreSQL unreachable' }, () => {
  let w: World;
  let skus: string[];
  const workers: ChildProcess[] = [];
  before(async () => {
    ({ w, skus } = await orderWorld());
    const env = { DATABASE_URL: (w.db as unknown as { url: string }).url, VORTEX_SECRET_KEY: w.secretKey, LOG_LEVEL: 'info', VORTEX_FX_DAILY: 'none' };
    const started = await Promise.all(Array.from({ length: 4 }, () => startVortex(['worker'], env, /vortex running/)));
    workers.push(...started.map((s) => s.child));
  });
  after(async () => {
    for (const c of workers) {
      c.kill('SIGKILL');
      await exited(c);
    }
    await w?.close();
  });

  it('the same order pushed 100 times at once, and 20 import jobs past the queue’s de-duplication: one lexoffice document', async () => {
    const r = await fetch(`${w.cel.origin}/_sim/orders`, { method: 'POST', body: JSON.stringify({ lines: [{ model: skus[0], quantity: 1 }] }) });
    const id = String(((await r.json()) as { order: { id_comanda: number } }).order.id_comanda);
    const push = w.cel.state.account.apiLink.replace('$1$', '1').replace('$2$', encodeURIComponent(JSON.stringify({ list: [Number(id)] })));
    const [answers] = await Promise.all([
      Promise.all(Array.from({ length: 100 }, () => fetch(push).then((x) => x.status))),
      // Jobs without the singleton key: only the order's lease keeps two workers apart.
      Promise.all(Array.from({ length: 20 }, () => w.ctx.queue.boss.send(importOrderJob.name, { tenantId: TENANT, orderId: id }))),
    ]);
    assert.deepEqual([...new Set(answers)], [202]);
    const row = await waitFor('the order acknowledged', async () => {
      const o = await w.db.maybeOne<{ state: string }>("SELECT state FROM channel_orders WHERE tenant_id = $1 AND channel_order_id = $2", [TENANT, id]);
      return o && ['acknowledged', 'needs_review', 'quarantined'].includes(o.state) ? o : undefined;
    }, 90_000);
    // Let every queued job run out: none may create anything more.
    await waitFor('no order job left', async () => {
      const left = await w.db.query("SELECT 1 FROM pgboss.job WHERE name = 'orders.import' AND state IN ('created', 'retry', 'active')");
      return left.length === 0;
    }, 90_000);
    assert.equal(row.state, 'acknowledged');
    assert.equal(documentsPerOrder(w).get(id), 1);
    assert.equal((await w.db.query("SELECT 1 FROM channel_orders WHERE tenant_id = $1 AND channel_order_id = $2", [TENANT, id])).length, 1);
  });
});

describe('order chaos: 200 orders, 20 SIGKILLs of worker processes, 10 % lexoffice faults', { skip: pg.ok ? false : 'PostgreSQL unreachable' }, () => {
  it('every order ends final with exactly one lexoffice document and its invoice PDF once on Cel.ro, none lost', async () => {
    const s = await runOrderChaos({ orders: 200, kills: 20, workers: 4, faultRate: 0.1, drainSeconds: 240, log: (l) => console.log(`# chaos: ${l}`) });
    console.log(`# chaos summary: ${JSON.stringify(s)}`);
    assert.equal(s.orders, 200);
    assert.ok(s.kills >= 20);
    assert.ok(s.lexofficeFaults > 0, 'the faults hit');
    assert.deepEqual(s.unknownToVortex, []);
    assert.deepEqual(s.notFinal, []);
    assert.deepEqual(s.withSeveralDocuments, []);
    assert.deepEqual(s.withoutDocument, []);
    assert.deepEqual(s.invoiceNotAttached, [], 'every invoice PDF on its Cel.ro order');
    assert.deepEqual(s.invoiceSeveral, [], 'and only once');
    assert.equal(s.states.acknowledged, 200, JSON.stringify(s.states));
  });
});

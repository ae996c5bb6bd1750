import type { ChildProcess } from 'node:child_process';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { ensureCelroApiLink } from '../../src/orders/api-link.ts';
import { exited, startVortex } from './process.ts';
import { storeVariants } from './stores.ts';
import { startWorld, TENANT, type World } from './world.ts';

/**
 * The order chaos run (CI test and `npm run chaos`): Cel.ro orders placed on the simulator (each push
 * goes to the API link of a web server in this process), imported by `vortex worker` processes on
 * PostgreSQL that are SIGKILLed at random moments and restarted, while lexoffice answers a share of
 * calls with 429, 500 and 504-after-commit. At the end every order must be in a final state with
 * exactly one lexoffice document (counted in the simulator by the order number in its text) and its
 * invoice PDF exactly once on the Cel.ro order.
 */
export interface ChaosOptions {
  readonly orders: number;
  readonly kills: number;
  readonly workers: number;
  /** Share of lexoffice calls that fail (429 40 %, 500 30 %, 504 after commit on writes 30 %). */
  readonly faultRate: number;
  /** Seconds to wait for the last orders after the kills stop. */
  readonly drainSeconds?: number;
  readonly log?: (line: string) => void;
}

export interface ChaosSummary {
  readonly orders: number;
  readonly kills: number;
  readonly states: Readonly<Record<string, number>>;
  readonly notFinal: readonly string[];
  readonly unknownToVortex: readonly string[];
  readonly withoutDocument: readonly string[];
  readonly withSeveralDocuments: readonly string[];
  /** Orders whose invoice PDF is not on the Cel.ro order / is there more than once. */
  readonly invoiceNotAttached: readonly string[];
  readonly invoiceSeveral: readonly string[];
  readonly lexofficeCalls: number;
  readonly lexofficeFaults: number;
  readonly callsPerOrder: number;
  readonly adopted: number;
  readonly latencyP50: number;
  readonly latencyP95: number;
  readonly seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FINAL = ['acknowledged', 'cancelled', 'quarantined', 'needs_review'];

export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** Documents per order id in the lexoffice simulator (by the marker; credit notes are not counted). */
export function documentsPerOrder(w: Pick<World, 'lex'>): Map<string, number> {
  const per = new Map<string, number>();
  for (const v of w.lex.state().vouchers.values()) {
    if (v.kind === 'creditnote') continue;
    const m = /^Cel\.ro order (\d+)/.exec(String((v.doc as { introduction?: string }).introduction ?? ''));
    if (m) per.set(m[1]!, (per.get(m[1]!) ?? 0) + 1);
  }
  return per;
}

/** A world ready for order load: catalog on Cel.ro with deep stock, a fast lexoffice key, the API link set. */
export async function orderWorld(opts: { articles?: number; lexofficeRatePerSecond?: number } = {}): Promise<{ w: World; skus: string[]; env: Record<string, string> }> {
  const postgres = (await storeVariants()).find((v) => v.name === 'postgres')!;
  const w = await startWorld(postgres, { articles: opts.articles ?? 20 });
  const skus = w.articles.filter((a) => a.articleNumber && !a.archived && a.type === 'PRODUCT').map((a) => a.articleNumber!);
  await w.ledger.setOnHand(TENANT, skus.map((sku) => ({ sku, onHand: 1_000_000 })), { reason: 'chaos stock', author: 'test', source: 'test' });
  const tenants = new TenantRepository(w.db, w.ctx.box);
  await tenants.setConnection(TENANT, 'lexoffice', { credentials: { apiKey: w.lex.apiKey }, baseUrl: w.lex.url, settings: { webhookPublicKey: w.lex.publicKeyPem, ratePerSecond: opts.lexofficeRatePerSecond ?? 40, burst: opts.lexofficeRatePerSecond ? 1 : 10 } }, 'test');
  const out = await w.sync(['catalog', 'stock']);
  if (out.status !== 'succeeded') throw new Error(`catalog sync ${out.status}`);
  w.cel.state.settle(true);
  await ensureCelroApiLink({ ...w.ctx, config: { ...w.ctx.config, publicUrl: w.webUrl } }, TENANT);
  const env = { DATABASE_URL: (w.db as unknown as { url: string }).url, VORTEX_SECRET_KEY: w.secretKey, LOG_LEVEL: 'info', VORTEX_FX_DAILY: 'none' };
  return { w, skus: skus.filter((s) => w.cel.state.products.get(s)?.approval === 'approved'), env };
}

export async function runOrderChaos(o: ChaosOptions): Promise<ChaosSummary> {
  const log = o.log ?? (() => undefined);
  const started = Date.now();
  const { w, skus, env } = await orderWorld();
  const live = new Set<ChildProcess>();
  const starting: Promise<unknown>[] = [];
  const spawnWorker = () => {
    const p = startVortex(['worker'], env, /vortex running/, 120_000).then(
      (wk) => {
        live.add(wk.child);
        wk.child.once('exit', () => live.delete(wk.child));
      },
      (e: unknown) => log(`a worker did not start: ${(e as Error).message.slice(0, 200)}`),
    );
    starting.push(p);
    return p;
  };
  try {
    await Promise.all(Array.from({ length: o.workers }, spawnWorker));
    const f = o.faultRate;
    w.lex.setFaults([
      { kind: 'rate-limit', rate: f * 0.4 },
      { kind: 'server-error', rate: f * 0.3 },
      { kind: 'timeout-after-commit', method: 'POST', rate: f * 0.3 },
    ]);
    w.lex.clearRequests();
    const placedAt = new Map<string, number>();
    let kills = 0;
    const killer = (async () => {
      while (kills < o.kills) {
        await sleep(700 + Math.random() * 1300);
        const victims = [...live];
        if (victims.length === 0) continue;
        const v = victims[Math.floor(Math.random() * victims.length)]!;
        v.kill('SIGKILL');
        await exited(v);
        kills++;
        if (kills % 5 === 0) log(`${kills} kills, ${placedAt.size} orders placed`);
        void spawnWorker();
      }
    })();
    const placer = (async () => {
      for (let i = 0; i < o.orders; i += 5) {
        await Promise.all(
          Array.from({ length: Math.min(5, o.orders - i) }, async (_, k) => {
            const lines = [{ model: skus[(i + k) % skus.length]!, quantity: 1 + ((i + k) % 3) }];
            if ((i + k) % 4 === 0) lines.push({ model: skus[(i + k + 7) % skus.length]!, quantity: 1 });
            const r = await fetch(`${w.cel.origin}/_sim/orders`, { method: 'POST', body: JSON.stringify({ lines, company: (i + k) % 10 === 0 }) });
            if (r.status !== 201) throw new Error(`placing an order failed: ${r.status} ${await r.text()}`);
            const out = (await r.json()) as { order: { id_comanda: number } };
            placedAt.set(String(out.order.id_comanda), Date.now());
          }),
        );
        // Spread the orders over the kills: about one batch per 0.4 s.
        await sleep(400);
      }
    })();
    await Promise.all([killer, placer]);
    log(`placed ${placedAt.size} orders, ${kills} kills; draining`);
    while (live.size < o.workers) await spawnWorker();
    const deadline = Date.now() + (o.drainSeconds ?? 240) * 1000;
    let notFinal: string[] = [];
    for (;;) {
      const rows = await w.db.query<{ channel_order_id: string; state: string }>('SELECT channel_order_id, state FROM channel_orders WHERE tenant_id = $1', [TENANT]);
      const known = new Map(rows.map((r) => [r.channel_order_id, r.state]));
      const attached = new Set((await w.db.query<{ channel_order_id: string }>("SELECT channel_order_id FROM channel_orders WHERE tenant_id = $1 AND invoice_state = 'attached'", [TENANT])).map((r) => r.channel_order_id));
      notFinal = [...placedAt.keys()].filter((id) => !FINAL.includes(known.get(id) ?? '') || (known.get(id) === 'acknowledged' && !attached.has(id)));
      if (notFinal.length === 0 || Date.now() > deadline) break;
      await sleep(1000);
    }
    w.lex.setFaults([]);
    const rows = await w.db.query<{ channel_order_id: string; state: string }>('SELECT channel_order_id, state FROM channel_orders WHERE tenant_id = $1', [TENANT]);
    const states: Record<string, number> = {};
    for (const r of rows) states[r.state] = (states[r.state] ?? 0) + 1;
    const known = new Set(rows.map((r) => r.channel_order_id));
    const docs = documentsPerOrder(w);
    const ids = [...placedAt.keys()];
    const latencies = await w.db.query<{ channel_order_id: string; at: Date }>(
      "SELECT o.channel_order_id, min(e.at) AS at FROM order_events e JOIN channel_orders o ON o.id = e.order_id WHERE o.tenant_id = $1 AND e.to_state = 'document_created' GROUP BY o.channel_order_id",
      [TENANT],
    );
    const lat = latencies.filter((l) => placedAt.has(l.channel_order_id)).map((l) => (l.at.getTime() - placedAt.get(l.channel_order_id)!) / 1000);
    const adopted = (await w.db.one<{ n: number }>("SELECT count(*) AS n FROM order_events WHERE tenant_id = $1 AND to_state = 'document_created' AND detail->>'adopted' = 'true'", [TENANT])).n;
    const reqs = w.lex.requests();
    return {
      orders: ids.length,
      kills,
      states,
      notFinal,
      unknownToVortex: ids.filter((id) => !known.has(id)),
      withoutDocument: ids.filter((id) => (docs.get(id) ?? 0) === 0),
      withSeveralDocuments: ids.filter((id) => (docs.get(id) ?? 0) > 1),
      invoiceNotAttached: ids.filter((id) => !w.cel.state.invoices.some((i) => i.ordersId === Number(id))),
      invoiceSeveral: ids.filter((id) => w.cel.state.invoices.filter((i) => i.ordersId === Number(id)).length > 1),
      lexofficeCalls: reqs.length,
      lexofficeFaults: reqs.filter((r) => r.fault).length,
      callsPerOrder: reqs.length / Math.max(1, ids.length),
      adopted,
      latencyP50: quantile(lat, 0.5),
      latencyP95: quantile(lat, 0.95),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await Promise.allSettled(starting);
    for (const c of [...live]) {
      c.kill('SIGKILL');
      await exited(c);
    }
    await w.close();
  }
}

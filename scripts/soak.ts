// `npm run soak -- --minutes 30 [--tenants 4] [--workers 3] [--articles 300]`: a long, faulty run of the
// whole product on PostgreSQL. Several tenants (each with its own lexoffice and Cel.ro simulator, with
// faults: 429, 5xx, slow answers, lexoffice timeouts after commit, Cel.ro expired tokens and broken
// connections), orders placed all along (some pushes delivered twice), catalog price changes (webhook
// wake-ups) and restocks, `vortex worker` processes SIGKILLed at random and restarted; one worker is
// never killed so its memory can be compared. Then the faults stop, everything drains, and it checks:
//  - every order exactly once in lexoffice, its invoice PDF exactly once on the Cel.ro order;
//  - Cel.ro shows exactly the mapped lexoffice catalog (price, quantity, active);
//  - no stock oversold: units sold per SKU never exceed the units the stock source ever had;
//  - memory flat: RSS of the long-lived worker and of this process, early vs end.
// Exit 1 on any violation. Needs a PostgreSQL server (VORTEX_TEST_DATABASE_URL, default local trust auth).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { numberOption } from './number-option.ts';
import { addSyncRequest } from '../src/sync/requests.ts';
import { celroDiffersFromCatalog } from '../test/helpers/catalog-check.ts';
import { startFleet, type FleetTenant, type WorkerProcess } from '../test/helpers/fleet.ts';
import { documentsPerOrder, quantile } from '../test/helpers/order-chaos.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    tenants: { type: 'string', default: '4' },
    workers: { type: 'string', default: '3' },
    articles: { type: 'string', default: '300' },
    drain: { type: 'string', default: '900' },
  },
});
const num = numberOption('soak');
const MINUTES = num('minutes', values.minutes, 0.5, 24 * 60);
const TENANTS = num('tenants', values.tenants, 1, 50);
const WORKERS = num('workers', values.workers, 2, 16);
const ARTICLES = num('articles', values.articles, 20, 5000);
const DRAIN = num('drain', values.drain, 30, 36_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (n: number) => Math.floor(Math.random() * n);
const say = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
const rssOf = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

const LEX_FAULTS = [
  { kind: 'rate-limit' as const, rate: 0.03 },
  { kind: 'server-error' as const, rate: 0.03 },
  { kind: 'slow' as const, rate: 0.03, delayMs: 3000 },
  { kind: 'timeout-after-commit' as const, method: 'POST', rate: 0.03 },
];
const CEL_FAULTS = [
  { kind: 'http429' as const, times: 0, rate: 0.02 },
  { kind: 'http500' as const, times: 0, rate: 0.02 },
  { kind: 'slow' as const, times: 0, rate: 0.03, delayMs: 2000 },
  { kind: 'expire-token' as const, times: 0, rate: 0.01 },
  { kind: 'reset' as const, times: 0, rate: 0.01 },
];

say(`soak: ${MINUTES} min, ${TENANTS} tenants × ${ARTICLES} articles, ${WORKERS} workers (one never killed)`);
const started = Date.now();
// Scarce stock (0–14 units per SKU) so the last units are really contended.
const fleet = await startFleet({ tenants: TENANTS, articles: ARTICLES, limits: 'production', celroLatencyMs: 20, onHand: (i) => i % 15 });
let failed = false;
try {
  const supply = new Map<string, number>(); // tenant/sku → units the stock source ever had
  for (const t of fleet.tenants) for (const l of await fleet.ledger.published(t.id)) supply.set(`${t.id}/${l.sku}`, l.onHand);
  const steady: WorkerProcess = await fleet.startWorker();
  for (let i = 1; i < WORKERS; i++) await fleet.startWorker();
  for (const t of fleet.tenants) await addSyncRequest(fleet.db, t.id, ['catalog', 'stock'], 'soak');
  await sleep(20_000); // first publish before the faults
  for (const t of fleet.tenants) {
    t.lex.setFaults(LEX_FAULTS);
    t.cel.setFaults(CEL_FAULTS);
  }
  const rssEarly = { worker: rssOf(steady.pid), driver: process.memoryUsage().rss / 2 ** 20 };
  say(`faults on; RSS early: steady worker ${rssEarly.worker.toFixed(0)} MiB, this process ${rssEarly.driver.toFixed(0)} MiB`);

  const end = started + MINUTES * 60_000;
  const placed = new Map<string, number>(); // tenant/order → placed at
  const sold = new Map<string, number>(); // tenant/sku → units sold on Cel.ro
  let kills = 0;
  let duplicatePushes = 0;
  let priceChanges = 0;
  let restocks = 0;
  let refused = 0;

  const placer = (async () => {
    while (Date.now() < end) {
      const t = fleet.tenants[rand(fleet.tenants.length)]!;
      const listed = t.skus.filter((s) => (t.cel.state.products.get(s)?.stock ?? 0) > 0);
      if (listed.length) {
        const sku = listed[rand(listed.length)]!;
        const qty = 1 + rand(2);
        const r = await t.cel.placeOrder({ lines: [{ model: sku, quantity: qty }], payment: Math.random() < 0.5 ? 'cod' : 'card' }).catch((e: Error) => e);
        if (r instanceof Error) refused++;
        else {
          placed.set(`${t.id}/${r.order.id_comanda}`, Date.now());
          sold.set(`${t.id}/${sku}`, (sold.get(`${t.id}/${sku}`) ?? 0) + qty);
          if (r.push?.url && Math.random() < 0.15) {
            duplicatePushes++;
            await fetch(r.push.url).catch(() => undefined); // Cel.ro delivering the same push again
          }
        }
      }
      // About one order every 3 s over all tenants: well inside what the lexoffice keys allow (2 calls/s
      // each, ~5.5 calls per order), so the soak measures a sustainable load, not a growing backlog.
      await sleep(2000 + rand(2000));
    }
  })();
  const changer = (async () => {
    while (Date.now() < end) {
      await sleep(15_000 + rand(15_000));
      const t = fleet.tenants[rand(fleet.tenants.length)]!;
      const articles = [...t.lex.state().articles.values()].filter((a) => !a.archived && a.articleNumber);
      const a = articles[rand(articles.length)];
      if (a) {
        t.lex.changeArticle(a.id); // +1.00 on the leading price: a webhook wake-up, within the price guard
        priceChanges++;
      }
      if (Math.random() < 0.5) {
        const sku = t.skus[rand(t.skus.length)]!;
        const units = 1 + rand(5);
        await fleet.ledger.adjust(t.id, sku, units, { reason: 'soak restock', author: 'soak', source: 'soak' });
        supply.set(`${t.id}/${sku}`, (supply.get(`${t.id}/${sku}`) ?? 0) + units);
        restocks++;
      }
    }
  })();
  const killer = (async () => {
    while (Date.now() < end) {
      await sleep(20_000 + rand(40_000));
      const victims = [...fleet.workers].filter((w) => w !== steady);
      const v = victims[rand(victims.length)];
      if (!v) continue;
      await fleet.killWorker(v);
      kills++;
      await fleet.startWorker().catch((e: Error) => say(`restart failed: ${e.message.slice(0, 200)}`));
    }
  })();
  const reporter = (async () => {
    while (Date.now() < end) {
      await sleep(60_000);
      const s = await fleet.db.query<{ state: string; n: number }>('SELECT state, count(*) AS n FROM channel_orders GROUP BY state ORDER BY state');
      say(`${placed.size} orders placed (${refused} refused: no stock), ${kills} kills, ${priceChanges} price changes, ${restocks} restocks; states ${s.map((r) => `${r.state}=${r.n}`).join(' ')}; steady worker RSS ${rssOf(steady.pid).toFixed(0)} MiB`);
    }
  })();
  await Promise.all([placer, changer, killer, reporter]);

  say('load stopped; faults off; draining');
  for (const t of fleet.tenants) {
    t.lex.setFaults([]);
    t.cel.setFaults([]);
  }
  while (fleet.workers.size < WORKERS) await fleet.startWorker();
  const settled = async (): Promise<string[]> => {
    const rows = await fleet.db.query<{ tenant_id: string; channel_order_id: string; state: string; invoice_state: string | null }>('SELECT tenant_id, channel_order_id, state, invoice_state FROM channel_orders');
    const byKey = new Map(rows.map((r) => [`${r.tenant_id}/${r.channel_order_id}`, r]));
    return [...placed.keys()].filter((k) => {
      const r = byKey.get(k);
      return !r || r.state !== 'acknowledged' || r.invoice_state !== 'attached';
    });
  };
  const deadline = Date.now() + DRAIN * 1000;
  let open = await settled();
  while (open.length && Date.now() < deadline) {
    await sleep(2000);
    open = await settled();
  }
  // One more full sync per tenant, so Cel.ro can be compared with the catalog as it is now.
  for (const t of fleet.tenants) await addSyncRequest(fleet.db, t.id, ['catalog', 'stock', 'reconcile'], 'soak: final');
  const syncDeadline = Date.now() + 300_000;
  for (;;) {
    const p = await fleet.db.one<{ n: number }>("SELECT (SELECT count(*) FROM sync_requests) + (SELECT count(*) FROM sync_runs WHERE status = 'running') AS n");
    if (Number(p.n) === 0 || Date.now() > syncDeadline) break;
    await sleep(1000);
  }
  const rssEnd = { worker: rssOf(steady.pid), driver: process.memoryUsage().rss / 2 ** 20 };

  // Checks.
  const problems: string[] = [];
  if (open.length) problems.push(`${open.length} orders not acknowledged with the invoice attached: ${open.slice(0, 10).join(', ')}`);
  const latencies = await fleet.documentLatencies(placed);
  let documents = 0;
  let invoices = 0;
  for (const t of fleet.tenants as FleetTenant[]) {
    const perOrder = documentsPerOrder(t);
    for (const key of placed.keys()) {
      const [tenant, id] = key.split('/') as [string, string];
      if (tenant !== t.id) continue;
      const n = perOrder.get(id) ?? 0;
      documents += n;
      if (n !== 1) problems.push(`${key}: ${n} lexoffice documents`);
      const inv = t.cel.state.invoices.filter((i) => i.ordersId === Number(id)).length;
      invoices += inv;
      if (inv !== 1) problems.push(`${key}: invoice PDF on the Cel.ro order ${inv} times`);
    }
    const diffs = await celroDiffersFromCatalog(fleet.db, t.cel, t.id);
    if (diffs.length) problems.push(`${t.id}: Cel.ro differs from the mapped catalog: ${diffs.slice(0, 5).join('; ')}${diffs.length > 5 ? ` (+${diffs.length - 5})` : ''}`);
  }
  for (const [key, units] of sold) if (units > (supply.get(key) ?? 0)) problems.push(`${key}: ${units} units sold, the stock source only ever had ${supply.get(key) ?? 0} (oversold)`);
  const rssGrowth = rssEnd.worker - rssEarly.worker;
  // "Flat": the long-lived worker grew by less than a quarter of its early size (heap churn, caches warming).
  if (rssGrowth > rssEarly.worker * 0.25) problems.push(`steady worker RSS grew ${rssGrowth.toFixed(0)} MiB (${rssEarly.worker.toFixed(0)} → ${rssEnd.worker.toFixed(0)} MiB)`);

  const lexCalls = fleet.tenants.reduce((a, t) => a + t.lex.requests().length, 0);
  const lexFaults = fleet.tenants.reduce((a, t) => a + t.lex.requests().filter((r) => r.fault).length, 0);
  const celCalls = fleet.tenants.reduce((a, t) => a + t.cel.log.length, 0);
  const celFaults = fleet.tenants.reduce((a, t) => a + t.cel.log.filter((e) => e.fault).length, 0);
  const runs = await fleet.db.query<{ status: string; n: number }>('SELECT status, count(*) AS n FROM sync_runs GROUP BY status ORDER BY status');
  console.table({
    minutes: MINUTES,
    'tenants × articles': `${TENANTS} × ${ARTICLES}`,
    'orders placed (refused by Cel.ro: no stock)': `${placed.size} (${refused})`,
    'pushes delivered twice': duplicatePushes,
    'price changes / restocks': `${priceChanges} / ${restocks}`,
    'worker SIGKILLs': kills,
    'sync runs': runs.map((r) => `${r.status}=${r.n}`).join(' '),
    'lexoffice calls (faults)': `${lexCalls} (${lexFaults})`,
    'Cel.ro calls (faults)': `${celCalls} (${celFaults})`,
    'lexoffice documents for the orders': documents,
    'invoice PDFs on Cel.ro orders': invoices,
    'order → document p50 / p95 (s)': `${quantile(latencies, 0.5).toFixed(1)} / ${quantile(latencies, 0.95).toFixed(1)}`,
    'steady worker RSS early → end (MiB)': `${rssEarly.worker.toFixed(0)} → ${rssEnd.worker.toFixed(0)}`,
    'this process RSS early → end (MiB)': `${rssEarly.driver.toFixed(0)} → ${rssEnd.driver.toFixed(0)}`,
    'wall time (min)': ((Date.now() - started) / 60_000).toFixed(1),
    verdict: problems.length ? `FAILED (${problems.length} problems)` : 'clean',
  });
  for (const p of problems.slice(0, 40)) console.log(`  ✗ ${p}`);
  failed = problems.length > 0;
} finally {
  await fleet.close();
}
process.exit(failed ? 1 : 0);

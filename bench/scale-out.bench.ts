// Scale-out on PostgreSQL: the same multi-tenant load worked by 1, 2 and 4 `vortex worker` processes.
// Each tenant has its own lexoffice and Cel.ro account with production limits (lexoffice 2 req/s per key,
// Cel.ro 10 connections per account, 20 ms latency), so the load as a whole is not API-bound: with 10
// tenants the APIs allow 20 lexoffice calls/s, and what limits throughput is how much work the worker
// processes take on at once (VORTEX_JOB_BATCH_SIZE × each job kind's local concurrency per process; the
// bench uses batch 1: 2 sync runs and 4 order imports per worker, so 4 workers can keep every tenant's
// key busy).
//  phase 1: a full catalog publish for every tenant (requested at once);
//  phase 2: orders placed on every tenant's Cel.ro at once, each pushed to the tenant's API link, until
//           every one is a lexoffice document.
// Checked each time: no duplicate work (each tenant's offers pushed once over all its runs, one lexoffice
// document per order, no two runs of one tenant overlapping). Printed: times, the 2- and 4-worker ratios
// next to the goal (2 workers ≥ 1.8× one), p95 order latency.
// BENCH_TENANTS (10), BENCH_TENANT_SKUS (1000), BENCH_TENANT_ORDERS (6), BENCH_WORKERS ("1,2,4"),
// BENCH_JOB_BATCH (1) change the load.
import { cpus } from 'node:os';
import { addSyncRequest } from '../src/sync/requests.ts';
import { startFleet, type Fleet } from '../test/helpers/fleet.ts';
import { documentsPerOrder, quantile } from '../test/helpers/order-chaos.ts';
import { postgresAvailable } from '../test/helpers/stores.ts';

export const name = 'scale-out: 1, 2 and 4 worker processes on one PostgreSQL (multi-tenant catalog + orders)';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 10);
const SKUS = Number(process.env.BENCH_TENANT_SKUS ?? 1000);
const ORDERS = Number(process.env.BENCH_TENANT_ORDERS ?? 6);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const BATCH = process.env.BENCH_JOB_BATCH ?? '1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

interface Round {
  readonly workers: number;
  readonly catalogSeconds: number;
  readonly ordersSeconds: number;
  readonly orders: number;
  readonly p50: number;
  readonly p95: number;
  readonly problems: string[];
}

async function round(workers: number): Promise<Round> {
  const fleet: Fleet = await startFleet({ tenants: TENANTS, articles: SKUS, limits: 'production', celroLatencyMs: 20 });
  const problems: string[] = [];
  try {
    await Promise.all(Array.from({ length: workers }, () => fleet.startWorker({ VORTEX_JOB_BATCH_SIZE: BATCH })));
    const db = fleet.db;

    // Phase 1: every tenant's full publish, requested at once.
    const t0 = Date.now();
    for (const t of fleet.tenants) await addSyncRequest(db, t.id, ['catalog', 'stock'], 'bench');
    await until(
      'every tenant published',
      async () => {
        const ok = await db.one<{ n: number }>("SELECT count(DISTINCT tenant_id) AS n FROM sync_runs WHERE status = 'succeeded'");
        const pending = await db.one<{ n: number }>("SELECT (SELECT count(*) FROM sync_requests) + (SELECT count(*) FROM sync_runs WHERE status = 'running') AS n");
        return Number(ok.n) === fleet.tenants.length && Number(pending.n) === 0;
      },
      30 * 60_000,
    );
    const catalogSeconds = (Date.now() - t0) / 1000;
    for (const t of fleet.tenants) {
      const pushed = await db.one<{ n: number }>("SELECT coalesce(sum((counts->'catalog.publish'->>'pushed')::int), 0) AS n FROM sync_runs WHERE tenant_id = $1", [t.id]);
      const listed = await db.one<{ n: number }>('SELECT count(*) AS n FROM channel_offers WHERE tenant_id = $1 AND listed', [t.id]);
      if (Number(pushed.n) !== Number(listed.n)) problems.push(`${t.id}: ${pushed.n} offers pushed for ${listed.n} listed (duplicate or lost work)`);
      if (t.cel.state.products.size !== Number(listed.n)) problems.push(`${t.id}: ${t.cel.state.products.size} products on Cel.ro, ${listed.n} listed`);
    }
    const overlaps = await db.one<{ n: number }>(
      'SELECT count(*) AS n FROM sync_runs a JOIN sync_runs b ON a.tenant_id = b.tenant_id AND a.id < b.id AND b.started_at < a.finished_at AND a.finished_at IS NOT NULL',
    );
    if (Number(overlaps.n) > 0) problems.push(`${overlaps.n} overlapping runs of one tenant`);

    // Phase 2: orders on every tenant at once.
    for (const t of fleet.tenants) t.cel.state.settle(true);
    const placedAt = new Map<string, number>();
    const t1 = Date.now();
    await Promise.all(
      fleet.tenants.map(async (t) => {
        for (let k = 0; k < ORDERS; k++) {
          const id = await fleet.placeOrder(t, [{ model: t.skus[k % t.skus.length]!, quantity: 1 }]);
          if (id) placedAt.set(`${t.id}/${id}`, Date.now());
        }
      }),
    );
    await until(
      'every order a lexoffice document',
      async () => {
        const n = await db.one<{ n: number }>("SELECT count(DISTINCT order_id) AS n FROM order_events WHERE to_state = 'document_created'");
        return Number(n.n) >= placedAt.size;
      },
      30 * 60_000,
    );
    const ordersSeconds = (Date.now() - t1) / 1000;
    const latencies = await fleet.documentLatencies(placedAt);
    for (const t of fleet.tenants) for (const [id, n] of documentsPerOrder(t)) if (n !== 1) problems.push(`${t.id} order ${id}: ${n} lexoffice documents`);
    return { workers, catalogSeconds, ordersSeconds, orders: placedAt.size, p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), problems };
  } finally {
    await fleet.close();
  }
}

export async function run(): Promise<void> {
  if (!(await postgresAvailable()).ok) {
    console.log('skipped: PostgreSQL unreachable');
    return;
  }
  console.log(
    `load: ${TENANTS} tenants × ${SKUS} SKUs, ${ORDERS} orders each; production API limits per tenant; VORTEX_JOB_BATCH_SIZE=${BATCH} (per worker: ${Number(BATCH) * 2} sync runs, ${Number(BATCH) * 4} order imports at a time); ${cpus().length} CPU cores for everything`,
  );
  const rounds: Round[] = [];
  for (const w of WORKERS) {
    const r = await round(w);
    rounds.push(r);
    const base = rounds[0]!;
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `${w} worker(s): catalog ${r.catalogSeconds.toFixed(1)} s (×${ratio(base.catalogSeconds, r.catalogSeconds)}), orders ${r.orders} in ${r.ordersSeconds.toFixed(1)} s (×${ratio(base.ordersSeconds, r.ordersSeconds)}), order latency p50 ${r.p50.toFixed(1)} s p95 ${r.p95.toFixed(1)} s; ${r.problems.length ? `PROBLEMS: ${r.problems.slice(0, 5).join('; ')}` : 'no duplicate work'}`,
    );
  }
  const one = rounds.find((r) => r.workers === 1);
  const two = rounds.find((r) => r.workers === 2);
  if (one && two) {
    const total = (r: Round) => r.catalogSeconds + r.ordersSeconds;
    console.log(`2 workers vs 1: ×${(total(one) / total(two)).toFixed(2)} on the whole load (goal ≥ 1.80)`);
  }
}

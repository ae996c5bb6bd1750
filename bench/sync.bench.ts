// Catalog sync against both simulators, each in its own process (so this process's RSS is Vortex's):
//  1. full publish of N SKUs (default 10,000) with the real limits — lexoffice 2 req/s per key, Cel.ro
//     10 connections per account with 20 ms latency — elapsed vs the rate-limit lower bound;
//  2. a no-change heartbeat: API calls made and CPU time;
//  3. peak RSS while syncing a big catalog (default 100,000 SKUs; limits lifted so it ends in minutes).
// BENCH_SKUS and BENCH_BIG_SKUS change the sizes; BENCH_BIG_SKUS=0 skips part 3.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { demoCatalogRules } from '../src/demo/rules.ts';
import { importFeedUrl } from '../src/fx/import.ts';
import { MappingEngine } from '../src/mapping/engine.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/logger.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite.ts';
import { openPostgres } from '../src/store/postgres.ts';
import type { Db } from '../src/store/db.ts';
import pg from 'pg';
import { StockLedger } from '../src/stock/ledger.ts';
import { JobQueue } from '../src/sync/queue.ts';
import { addSyncRequest } from '../src/sync/requests.ts';
import { runSync } from '../src/sync/run-sync.ts';
import { tenantSteps } from '../src/sync/tenant-steps.ts';
import { onboardTenant } from '../src/tenants/onboard.ts';
import { createSecretBox } from '../src/tenants/secrets.ts';
import { TenantRepository } from '../src/tenants/tenants.ts';
import { startFxSim } from '../sim/fx/server.ts';

export const name = 'catalog sync on simulators (publish, no-change heartbeat, RSS)';

const BIN = fileURLToPath(new URL('../bin/vortex.js', import.meta.url));

function sim(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sim', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`simulator ${args[0]} exited (${code}): ${out}`)));
  });
}

/** Part 3 runs on a PostgreSQL server when one is reachable (the production shape: the database outside the process). */
async function openStoreFor(part: 'main' | 'big'): Promise<{ db: Db; url?: string; drop?: () => Promise<void> }> {
  if (part === 'big') {
    const admin = process.env.VORTEX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      const name = `vortex_bench_${process.pid}`;
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.query(`CREATE DATABASE ${name}`);
      const u = new URL(admin);
      u.pathname = `/${name}`;
      const db = await openPostgres({ url: u.toString(), poolMax: 5 });
      return {
        db,
        url: u.toString(),
        drop: async () => {
          await db.close();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        },
      };
    } catch {
      await c.end().catch(() => {});
    }
  }
  return { db: await openPglite() };
}

export async function world(skus: number, limits: boolean, part: 'main' | 'big' = 'main') {
  // Without limits the client's pace is lifted too (a connection setting meant for simulators).
  const lex = await sim(['lexoffice', '--seed', 'demo', '--articles', String(skus), ...(limits ? [] : ['--rate', '100000', '--burst', '100000'])]);
  const cel = await sim(['celro', ...(limits ? ['--latency-ms', '20'] : [])]);
  const fx = await startFxSim();
  const store = await openStoreFor(part);
  const db = store.db;
  await migrate(db);
  const log = createLogger({ level: 'silent' });
  const config = loadConfig(store.url ? { DATABASE_URL: store.url } : {});
  const queue = await JobQueue.start({ db, ...(store.url ? { databaseUrl: store.url } : {}), log, supervise: false });
  const box = createSecretBox(randomBytes(32).toString('base64'));
  const ctx = { config, log, db, box, queue };
  await importFeedUrl(db, fx.bnr10DaysUrl, 'BNR');
  await onboardTenant(db, box, { id: 'bench', name: 'Bench' }, 'bench', { catalog: demoCatalogRules() });
  const tenants = new TenantRepository(db, box);
  await tenants.setConnection('bench', 'lexoffice', { credentials: { apiKey: 'sim-lexoffice-key' }, baseUrl: lex.url, settings: limits ? {} : { ratePerSecond: 5000, burst: 50 } }, 'bench');
  await tenants.setConnection('bench', 'celro', { credentials: { username: 'demo', password: 'demo' }, baseUrl: `${cel.url}/market_api/`, settings: { maxInFlight: 4 } }, 'bench');
  const ledger = new StockLedger(db);
  await ledger.setOnHand('bench', Array.from({ length: skus }, (_, i) => ({ sku: `VX-P-${String(i + 1).padStart(5, '0')}`, onHand: i % 50 })), { reason: 'bench', author: 'bench', source: 'bench' });
  await db.query('DELETE FROM sync_requests');
  const steps = tenantSteps(ctx, new MappingEngine(db));
  const sync = async () => {
    await addSyncRequest(db, 'bench', ['catalog', 'stock'], 'bench');
    const out = await runSync({ db, log, steps }, 'bench');
    return db.one<{ status: string; counts: Record<string, Record<string, number>>; api_calls: Record<string, Record<string, number>> }>('SELECT status, counts, api_calls FROM sync_runs WHERE id = $1', [out.runId]);
  };
  /** Calls the lexoffice simulator refused with 429 since the last ask (its own limiter is the judge). */
  let seen = 0;
  const refused429 = async () => {
    const r = (await (await fetch(`${lex.url}/_sim/requests?since=${seen}`)).json()) as { requests: Array<{ seq: number; status: number }> };
    seen = r.requests.at(-1)?.seq ?? seen;
    return r.requests.filter((x) => x.status === 429).length;
  };
  return {
    sync,
    refused429,
    store: db.kind,
    close: async () => {
      await queue.stop({ timeoutMs: 1000 });
      if (store.drop) await store.drop();
      else await db.close();
      await fx.close();
      lex.child.kill();
      cel.child.kill();
    },
  };
}

const sum = (o: Record<string, number> | undefined) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);

export async function run(): Promise<void> {
  const n = Number(process.env.BENCH_SKUS ?? 10_000);
  const w = await world(n, true);
  try {
    let t0 = performance.now();
    const first = await w.sync();
    const elapsed = (performance.now() - t0) / 1000;
    const pages = first.api_calls.lexoffice?.['GET /v1/articles'] ?? 0;
    const bound = pages / 2; // lexoffice: 2 req/s per key, every endpoint together
    console.log(`full publish of ${n} SKUs: ${elapsed.toFixed(1)} s (status ${first.status}; pushed ${first.counts['catalog.publish']?.pushed ?? 0}, skipped ${first.counts['catalog.publish']?.skipped ?? 0})`);
    console.log(`  lexoffice pages ${pages}: lower bound ${bound.toFixed(1)} s at 2 req/s → ${(elapsed / bound).toFixed(2)}× (goal ≤ 1.10×); 429s from the simulator: ${await w.refused429()} (goal 0)`);
    console.log(`  Cel.ro calls ${sum(first.api_calls.celro)} (${JSON.stringify(first.api_calls.celro)})`);

    // The process costs CPU while doing nothing (the embedded database's garbage collection, the job
    // queue's timers): measured over 5 quiet seconds and taken off, so the figure is the heartbeat's own.
    const base0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 5000));
    const base = process.cpuUsage(base0);
    const idlePerSecond = (base.user + base.system) / 1e6 / 5;
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    const idle = await w.sync();
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - t0) / 1000;
    const total = (cpu.user + cpu.system) / 1e6;
    console.log(
      `no-change heartbeat (${n} SKUs): ${wall.toFixed(1)} s wall, process CPU ${total.toFixed(2)} s, of which idle baseline ${(idlePerSecond * wall).toFixed(2)} s → heartbeat ${(total - idlePerSecond * wall).toFixed(2)} s (goal ≤ 1 s on the embedded database); 429s: ${await w.refused429()}`,
    );
    console.log(`  API calls: lexoffice ${sum(idle.api_calls.lexoffice)} ${JSON.stringify(idle.api_calls.lexoffice ?? {})}, Cel.ro ${sum(idle.api_calls.celro)} ${JSON.stringify(idle.api_calls.celro ?? {})}`);
  } finally {
    await w.close();
  }

  // The same no-change heartbeat with the database outside the process (PostgreSQL), so the CPU
  // figure is Vortex's own and not the embedded database's.
  const p = await world(n, true, 'big');
  try {
    if (p.store === 'postgres') {
      await p.sync();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const idle = await p.sync();
      const cpu = process.cpuUsage(cpu0);
      console.log(`no-change heartbeat (${n} SKUs) on PostgreSQL: ${((performance.now() - t0) / 1000).toFixed(1)} s wall, CPU of the Vortex process ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; calls lexoffice ${sum(idle.api_calls.lexoffice)}, Cel.ro ${sum(idle.api_calls.celro)}`);
    }
  } finally {
    await p.close();
  }

  const big = Number(process.env.BENCH_BIG_SKUS ?? 100_000);
  if (big > 0) {
    // In a fresh process, so its RSS is the big sync's alone (not this process's earlier embedded database).
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--big', String(big)], { stdio: 'inherit' });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`big-catalog run exited ${code}`))));
    });
  }
}

async function runBig(big: number): Promise<void> {
  const rssBase = process.memoryUsage().rss;
  let peak = rssBase;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const b = await world(big, false, 'big');
  try {
    const t0 = performance.now();
    const r = await b.sync();
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`${big} SKUs (rate limits lifted): ${((performance.now() - t0) / 1000).toFixed(1)} s, status ${r.status}, pushed ${r.counts['catalog.publish']?.pushed ?? 0}`);
    console.log(
      `  peak RSS of the Vortex process: ${(peak / 2 ** 20).toFixed(0)} MiB on ${b.store} (simulators in their own processes${b.store === 'pglite' ? '; the in-memory embedded database alone costs ~650 MiB' : '; database server outside the process'}; at start ${(rssBase / 2 ** 20).toFixed(0)} MiB)`,
    );
  } finally {
    clearInterval(timer);
    await b.close();
  }
}

if (process.argv[2] === '--big') await runBig(Number(process.argv[3]));
